using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Tenancy;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>Mis pagos: every payment of the identified customer, newest first, with what each one paid and its receipt.</summary>
public sealed class HistoryModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock) : PortalPageModel(db, tenant, clock)
{
    public const int PageSize = 10;

    /// <summary>Named like the back office's pager (<c>?pagina=2</c>); anything that is not a number reads as the first page.</summary>
    [BindProperty(SupportsGet = true, Name = "pagina")]
    public int PageNumber { get; set; } = 1;

    public Paged<Payment> Results { get; private set; } = new([], 1, PageSize, 0);

    /// <summary>The documents each payment of the page paid, by payment id, in allocation order.</summary>
    public ILookup<long, PaidDocument> Paid { get; private set; } = Array.Empty<PaidDocument>().ToLookup(p => p.PaymentId);

    public sealed record PaidDocument(long PaymentId, long DocumentId, DocumentType Type, long Folio, long Amount);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadSessionAsync(ct))
        {
            return Portal is null ? Unavailable() : ToIdentify();
        }
        var customerId = Customer!.Id;
        Results = await Db.Payments.AsNoTracking()
            .Where(p => p.CustomerId == customerId)
            .OrderByDescending(p => p.PaidAt).ThenByDescending(p => p.Id)
            .ToPagedAsync(PageNumber, PageSize, ct);
        var ids = Results.Items.Select(p => p.Id).ToList();
        var paid = await (from a in Db.PaymentAllocations
                          join d in Db.Documents on a.DocumentId equals d.Id
                          where ids.Contains(a.PaymentId)
                          orderby a.Id
                          select new PaidDocument(a.PaymentId, d.Id, d.Type, d.Folio, a.Amount)).ToListAsync(ct);
        Paid = paid.ToLookup(p => p.PaymentId);
        return Page();
    }
}
