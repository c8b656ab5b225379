using Abono.Web.Data;
using Abono.Web.Features.BankTransfer;
using Abono.Web.Features.Documents;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Portal;
using Abono.Web.Gateways;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.BankTransfer;

/// <summary>Transferencia bancaria in the portal: the bank details, a reference code, and the customer's declaration.</summary>
[RequestSizeLimit(6 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 6 * 1024 * 1024)]
public sealed class DeclareModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock, PaymentMethodSecrets secrets, Webhooks.Webhooks webhooks,
    Platform.Web.AppUrls urls)
    : PortalPageModel(db, tenant, clock)
{
    private static readonly Dictionary<string, string> AllowedProofTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".png"] = "image/png",
    };

    public Checkout? Checkout { get; private set; }
    public Dictionary<string, string> BankDetails { get; private set; } = [];
    public string Reference { get; private set; } = "";
    public string? Error { get; private set; }
    public DateOnly TodayDate => Today;

    [BindProperty] public long? DeclaredAmount { get; set; }
    [BindProperty] public DateOnly? TransferDate { get; set; }
    [BindProperty] public IFormFile? Proof { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) is { } failure ? failure : Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } failure)
        {
            return failure;
        }
        if (DeclaredAmount is not > 0 || DeclaredAmount > 10_000_000_000)
        {
            Error = "Indica el monto que transferiste, en pesos.";
        }
        else if (TransferDate is not { } date || date > Today || date < Today.AddDays(-60))
        {
            Error = "Indica la fecha de la transferencia (hoy o antes, dentro de los últimos 60 días).";
        }
        else if (Proof is { Length: > 5 * 1024 * 1024 })
        {
            Error = "El comprobante puede pesar hasta 5 MB.";
        }
        else if (Proof is not null && !AllowedProofTypes.ContainsKey(Path.GetExtension(Proof.FileName)))
        {
            Error = "El comprobante debe ser PDF, JPG o PNG.";
        }
        if (Error is not null)
        {
            return Page();
        }

        byte[]? proof = null;
        if (Proof is { Length: > 0 })
        {
            using var buffer = new MemoryStream();
            await Proof.CopyToAsync(buffer, ct);
            proof = buffer.ToArray();
        }
        var now = Clock.GetUtcNow().UtcDateTime;
        await using var transaction = await Db.Database.BeginTransactionAsync(ct);
        Db.TransferDeclarations.Add(new TransferDeclaration
        {
            CheckoutId = id, DeclaredAmount = DeclaredAmount!.Value, TransferDate = TransferDate!.Value, DeclaredAt = now, Proof = proof,
            ProofFileName = proof is null ? null : Path.GetFileName(Proof!.FileName)[..Math.Min(200, Path.GetFileName(Proof.FileName).Length)],
            ProofContentType = proof is null ? null : AllowedProofTypes[Path.GetExtension(Proof!.FileName)],
        });
        try
        {
            await Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            return Redirect($"/portal/{Code}/pagos/{id}");
        }
        // The documents stay "pago en proceso" while the business checks its bank (up to a week).
        await Db.DocumentPaymentLocks.Where(l => l.CheckoutId == id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, now.AddDays(7)), ct);
        await TransferEmails.QueueDeclaredAsync(Db, urls, Portal!.CompanyId, Checkout!, Customer!, DeclaredAmount!.Value, TransferDate!.Value, proof is not null, now, ct);
        await Db.SaveChangesAsync(ct);
        await webhooks.QueueAsync(Db, Webhooks.WebhookEvents.TransferDeclared, new
        {
            checkoutId = id, reference = Reference, customerId = Customer!.Id, declaredAmount = DeclaredAmount, transferDate = TransferDate, amountDue = Checkout!.Amount,
        }, now, ct);
        await transaction.CommitAsync(ct);
        return Redirect($"/portal/{Code}/pagos/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var checkout = await Db.Checkouts.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == id && c.Gateway == GatewayKind.Transfer && c.Purpose == CheckoutPurpose.DocumentPayment, ct);
        if (checkout is null)
        {
            return NotFound();
        }
        Code = await Db.PortalConfigurations.IgnoreQueryFilters().Where(p => p.CompanyId == checkout.CompanyId).Select(p => p.PublicCode).SingleAsync(ct);
        if (!await LoadSessionAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        if (checkout.CustomerId != Customer!.Id)
        {
            return NotFound();
        }
        if (await Db.TransferDeclarations.AnyAsync(d => d.CheckoutId == id, ct) || checkout.IsFinal)
        {
            return Redirect($"/portal/{Code}/pagos/{id}");
        }
        Checkout = checkout;
        Reference = TransferGateway.ReferenceCode(id);
        var method = await Db.PaymentMethods.AsNoTracking().SingleAsync(m => m.Id == checkout.PaymentMethodId, ct);
        BankDetails = secrets.Settings(method);
        return null;
    }
}
