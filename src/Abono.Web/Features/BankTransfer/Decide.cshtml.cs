using Abono.Web.Data;
using Abono.Web.Features.BankTransfer;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.BankTransfer;

/// <summary>Transfers declared in the portal: confirming applies the payment like any gateway; rejecting tells the customer.</summary>
public sealed class DecideModel(AbonoDbContext db, GatewayRegistry gateways, GatewayContexts contexts, PaymentConfirmation confirmation, TimeProvider clock,
    Platform.Web.AppUrls urls) : PageModel
{
    public List<Row> Pending { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Pending = await (from t in db.TransferDeclarations
                         join c in db.Checkouts on t.CheckoutId equals c.Id
                         join cu in db.Customers on c.CustomerId equals cu.Id
                         where t.Status == TransferStatus.Declared
                         orderby t.DeclaredAt
                         select new Row(t.CheckoutId, cu.Id, cu.Name, t.DeclaredAmount, c.Amount, t.TransferDate, t.Proof != null))
            .ToListAsync(ct);

    public async Task<IActionResult> OnGetProofAsync(Guid checkoutId, CancellationToken ct)
    {
        var proof = await db.TransferDeclarations.AsNoTracking().Where(t => t.CheckoutId == checkoutId && t.Proof != null)
            .Select(t => new { t.Proof, t.ProofContentType, t.ProofFileName }).SingleOrDefaultAsync(ct);
        return proof is null ? NotFound() : File(proof.Proof!, proof.ProofContentType ?? "application/octet-stream", proof.ProofFileName);
    }

    public Task<IActionResult> OnPostConfirmAsync(Guid checkoutId, CancellationToken ct) => DecideAsync(checkoutId, TransferStatus.Confirmed, null, ct);

    public Task<IActionResult> OnPostRejectAsync(Guid checkoutId, string? reason, CancellationToken ct) =>
        DecideAsync(checkoutId, TransferStatus.Rejected, string.IsNullOrWhiteSpace(reason) ? "no la encontramos en nuestra cuenta" : reason.Trim()[..Math.Min(300, reason.Trim().Length)], ct);

    private async Task<IActionResult> DecideAsync(Guid checkoutId, TransferStatus decision, string? reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Only one decision per declaration, whoever clicks first.
        var decided = await db.TransferDeclarations.Where(t => t.CheckoutId == checkoutId && t.Status == TransferStatus.Declared)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, decision).SetProperty(t => t.DecidedAt, now).SetProperty(t => t.RejectionReason, reason), ct);
        if (decided == 0)
        {
            return NotFound();
        }
        var checkout = await db.Checkouts.AsNoTracking().SingleAsync(c => c.Id == checkoutId, ct);
        var context = await contexts.ForAsync(checkout, ct);
        var status = await gateways.Get(GatewayKind.Transfer).QueryStatusAsync(context, checkout.ForGateway(context), ct);
        await confirmation.ApplyAsync(checkoutId, status, ct);
        if (decision == TransferStatus.Rejected)
        {
            var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == checkout.CustomerId, ct);
            if (customer.Email is not null)
            {
                await TransferEmails.QueueRejectedAsync(db, urls, checkout, customer, customer.Email, reason!, now, ct);
                await db.SaveChangesAsync(ct);
            }
        }
        TempData["Flash"] = decision == TransferStatus.Confirmed ? "Transferencia confirmada: el pago quedó registrado." : "Transferencia rechazada; avisamos al cliente.";
        return Redirect("/reportes/pagos/transferencias");
    }

    public sealed record Row(Guid CheckoutId, long CustomerId, string CustomerName, long DeclaredAmount, long AmountDue, DateOnly TransferDate, bool HasProof)
    {
        public string Reference => TransferGateway.ReferenceCode(CheckoutId);
    }
}
