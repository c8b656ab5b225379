using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>What <c>_Receipt.cshtml</c> shows: the receipt, the portal to link its documents in, and what was refunded since.</summary>
public sealed record ReceiptView(string Code, ReceiptData Receipt, long RefundedAmount);

/// <summary>
/// A payment's comprobante by payment number, from the payer's history. The result page is keyed by checkout and
/// shows that checkout's first payment; a checkout approved twice has a second payment (all saldo a favor) that
/// only this page reaches.
/// </summary>
public sealed class ReceiptModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock, Receipts receipts)
    : PortalPageModel(db, tenant, clock)
{
    public ReceiptData? Receipt { get; private set; }
    public long RefundedAmount { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return Refused();
        }
        return Page();
    }

    public async Task<IActionResult> OnGetPdfAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return Refused();
        }
        return File(await receipts.PdfAsync(Db, Receipt!, Portal!.CompanyId, ct), "application/pdf", Receipt!.PdfFileName);
    }

    private async Task<bool> LoadAsync(string rawId, CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct) || !PortalIds.TryParse(rawId, out var id))
        {
            return false;
        }
        var customerId = Customer!.Id;
        var refunded = await Db.Payments.Where(p => p.Id == id && p.CustomerId == customerId).Select(p => (long?)p.RefundedAmount).SingleOrDefaultAsync(ct);
        if (refunded is null)
        {
            return false;
        }
        RefundedAmount = refunded.Value;
        Receipt = await receipts.LoadAsync(Db, id, ct);
        return true;
    }
}
