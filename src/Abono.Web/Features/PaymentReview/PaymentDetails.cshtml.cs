using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Gateways;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PaymentReview;

/// <summary>Reportes → Pagos → a payment: its receipt data, allocations, refunds, and Reembolsar (administrators).</summary>
public sealed class PaymentDetailsModel(AbonoDbContext db, Receipts receipts, GatewayRegistry gateways, IAuthorizationService authorization) : PageModel
{
    public ReceiptData? Receipt { get; private set; }
    public long CustomerId { get; private set; }
    public string Status { get; private set; } = "";
    public bool GatewayRefunds { get; private set; }
    public bool PartialRefunds { get; private set; }
    public bool MayRefund { get; private set; }
    public long Refundable { get; private set; }
    public long Refunded { get; private set; }
    public List<PaymentRefund> Refunds { get; private set; } = [];

    [BindProperty] public long? RefundAmount { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRefundAsync(long id, [FromServices] Refunds refunds, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (!MayRefund)
        {
            return Forbid();
        }
        if (RefundAmount is null)
        {
            ModelState.AddModelError(nameof(RefundAmount), "Ingresa el monto a reembolsar, en pesos.");
            return Page();
        }
        var result = await refunds.RefundAsync(id, RefundAmount.Value, User.Identity?.Name ?? "?", ct);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(RefundAmount), result.Message);
            await LoadAsync(id, ct);
            return Page();
        }
        TempData["Flash"] = result.Message;
        return RedirectToPage(new { id });
    }

    /// <summary>The receipt the customer got (Comprobante de pago), as its PDF, for the back office to forward or file.</summary>
    public async Task<IActionResult> OnGetPdfAsync(long id, CancellationToken ct)
    {
        if (await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) is not { } payment)
        {
            return NotFound();
        }
        var receipt = await receipts.LoadAsync(db, id, ct);
        return File(await receipts.PdfAsync(db, receipt, payment.CompanyId, ct), "application/pdf", receipt.PdfFileName);
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (payment is null)
        {
            return false;
        }
        Receipt = await receipts.LoadAsync(db, id, ct);
        CustomerId = payment.CustomerId;
        Status = payment.Status.Name();
        var capabilities = gateways.Has(payment.Method) ? gateways.Get(payment.Method).Capabilities : GatewayCapabilities.None;
        GatewayRefunds = capabilities.HasFlag(GatewayCapabilities.Refunds);
        PartialRefunds = capabilities.HasFlag(GatewayCapabilities.PartialRefunds);
        Refunded = payment.RefundedAmount;
        Refundable = payment.Amount - payment.RefundedAmount;
        MayRefund = GatewayRefunds && Refundable > 0 && (await authorization.AuthorizeAsync(User, Policies.Administrador)).Succeeded;
        Refunds = await db.PaymentRefunds.AsNoTracking().Where(r => r.PaymentId == id).OrderBy(r => r.Id).ToListAsync(ct);
        return true;
    }
}
