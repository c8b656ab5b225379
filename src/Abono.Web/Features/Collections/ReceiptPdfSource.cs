using System.Text.Json;
using Abono.Web.Data;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Features.Collections;

/// <summary>
/// Renders a queued receipt email's PDF when it is sent. The stored input is the payment and the lines as they were
/// when it was confirmed (each document's balance right after this payment), so a later payment or a retry hours
/// later does not change what this receipt says.
/// </summary>
public sealed class ReceiptPdfSource(IServiceScopeFactory scopes, Receipts receipts) : IEmailAttachmentSource
{
    public const string SourceName = "receipt-pdf";

    public string Name => SourceName;

    public static string Input(ReceiptData receipt) => JsonSerializer.Serialize(new Stored(receipt.Number, receipt.Documents));

    public async Task<byte[]> RenderAsync(Guid? companyId, string input, CancellationToken ct)
    {
        var stored = JsonSerializer.Deserialize<Stored>(input) ?? throw new InvalidOperationException("An empty receipt input.");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(companyId ?? throw new InvalidOperationException("A receipt email without a company."));
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var receipt = await receipts.LoadAsync(db, stored.PaymentId, ct) with { Documents = stored.Lines };
        return ReceiptPdf.Render(receipt, receipt.Brand.HasLogo ? await PortalBrand.LogoAsync(db, companyId.Value, ct) : null);
    }

    private sealed record Stored(long PaymentId, IReadOnlyList<ReceiptLine> Lines);
}
