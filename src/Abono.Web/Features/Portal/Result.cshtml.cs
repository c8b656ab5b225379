using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>Where the payer lands after the gateway: the receipt on success, the reason and a retry otherwise.</summary>
public sealed class ResultModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock, Receipts receipts)
    : PortalPageModel(db, tenant, clock)
{
    public Checkout? Checkout { get; private set; }
    public ReceiptData? Receipt { get; private set; }
    public long RefundedAmount { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return Refused();
        }
        return Page();
    }

    public async Task<IActionResult> OnGetPdfAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || Receipt is null)
        {
            return Refused();
        }
        return File(await receipts.PdfAsync(Db, Receipt, Portal!.CompanyId, ct), "application/pdf", Receipt.PdfFileName);
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return false;
        }
        Checkout = await Db.Checkouts.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == id && c.Purpose == CheckoutPurpose.DocumentPayment && c.CustomerId == Customer!.Id, ct);
        if (Checkout is null)
        {
            return false;
        }
        var payment = await Db.Payments.Where(p => p.CheckoutId == id).OrderBy(p => p.Id).Select(p => new { p.Id, p.RefundedAmount }).FirstOrDefaultAsync(ct);
        if (payment is not null)
        {
            Receipt = await receipts.LoadAsync(Db, payment.Id, ct);
            RefundedAmount = payment.RefundedAmount;
        }
        return true;
    }
}
