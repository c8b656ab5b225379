using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Home;

public sealed class IndexModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    public long TotalDebt { get; private set; }
    public long OverdueDebt { get; private set; }
    public int PendingDocuments { get; private set; }
    public int Customers { get; private set; }
    public List<RecentDocument> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = ChileFormats.Today(clock);
        var owed = db.Documents.Where(d => d.Balance > 0);
        TotalDebt = await owed.SumAsync(d => d.Balance, ct);
        OverdueDebt = await owed.Where(d => d.DueDate < today).SumAsync(d => d.Balance, ct);
        PendingDocuments = await owed.CountAsync(ct);
        Customers = await db.Customers.CountAsync(ct);
        Recent = await db.Documents.AsNoTracking()
            .OrderByDescending(d => d.Id)
            .Take(8)
            .Select(d => new RecentDocument(d.Id, d.Type, d.Folio, d.Customer == null ? null : d.Customer.Name, d.IssueDate, d.Total, d.Balance))
            .ToListAsync(ct);
    }

    public sealed record RecentDocument(long Id, DocumentType Type, long Folio, string? CustomerName, DateOnly IssueDate, long Total, long Balance);
}
