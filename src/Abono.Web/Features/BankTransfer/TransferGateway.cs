using Abono.Web.Data;
using Abono.Web.Gateways;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.BankTransfer;

/// <summary>
/// Bank transfer: no provider to ask. Starting sends the payer to our page with the bank details and a reference code;
/// the "gateway's answer" is the back office's decision on the declaration, read from the database.
/// </summary>
public sealed class TransferGateway(IServiceScopeFactory scopes) : IPaymentGateway
{
    public GatewayKind Kind => GatewayKind.Transfer;

    public GatewayCapabilities Capabilities => GatewayCapabilities.StatusQuery | GatewayCapabilities.TerminalFailures;

    public static string ReferenceCode(Guid checkoutId) => "TR-" + checkoutId.ToString("N")[^8..].ToUpperInvariant();

    public Task<GatewayStart> StartAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct) =>
        Task.FromResult(new GatewayStart(new Uri(context.SelfBaseUrl, $"/portal/transferencia/{checkout.Id}"), PostForm: false,
            new Dictionary<string, string>(), ReferenceCode(checkout.Id)));

    public Task<GatewayStatus> HandleReturnAsync(GatewayContext context, GatewayCheckout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct) =>
        QueryStatusAsync(context, checkout, ct);

    public async Task<GatewayStatus> QueryStatusAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var declaration = await db.TransferDeclarations.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(d => d.CheckoutId == checkout.Id, ct);
        return declaration?.Status switch
        {
            TransferStatus.Confirmed => new GatewayStatus(GatewayOutcome.Approved, checkout.Amount, checkout.Currency, ReferenceCode(checkout.Id)),
            TransferStatus.Rejected => new GatewayStatus(GatewayOutcome.Rejected, null, null, ReferenceCode(checkout.Id),
                $"La empresa no encontró la transferencia: {declaration.RejectionReason}"),
            TransferStatus.Declared => new GatewayStatus(GatewayOutcome.Pending, null, null, ReferenceCode(checkout.Id), "Transferencia por confirmar por la empresa."),
            _ => new GatewayStatus(GatewayOutcome.Pending, null, null, ReferenceCode(checkout.Id), "Aún no informas la transferencia."),
        };
    }

    public GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Webhooks);

    public Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Webhooks);

    public Task<GatewayRefund> RefundAsync(GatewayContext context, GatewayCheckout checkout, long amount, string idempotencyKey, CancellationToken ct) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Refunds);

    public Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct) =>
        Task.FromResult(new ConnectionTestResult(true, "La transferencia bancaria no requiere conexión."));
}
