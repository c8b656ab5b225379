using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Gateways;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Reports;

public sealed class PaymentDetailsModel(AbonoDbContext db, Receipts receipts, GatewayRegistry gateways) : PageModel
{
    public ReceiptData? Receipt { get; private set; }
    public long CustomerId { get; private set; }
    public string Status { get; private set; } = "";
    public bool CanRefund { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (payment is null)
        {
            return NotFound();
        }
        Receipt = await receipts.LoadAsync(db, id, ct);
        CustomerId = payment.CustomerId;
        Status = payment.Status.Name();
        CanRefund = gateways.Has(payment.Method) && gateways.Get(payment.Method).Capabilities.HasFlag(GatewayCapabilities.Refunds);
        return Page();
    }
}
