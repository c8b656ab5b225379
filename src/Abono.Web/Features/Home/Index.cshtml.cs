using Abono.Web.Data;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Reports;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Home;

/// <summary>The back office home: what came in, what is owed, and how old the debt is.</summary>
public sealed class IndexModel(AbonoDbContext db, OwedDocumentsReport owed, TimeProvider clock) : PageModel
{
    public long CollectedToday { get; private set; }
    public long CollectedThisMonth { get; private set; }
    public OwedTotals Aging { get; private set; } = new(0, 0, 0, 0, 0, 0, 0, 0);
    public int Customers { get; private set; }
    public List<(DateOnly Day, long Amount)> Daily { get; private set; } = [];
    public List<RecentDocument> Recent { get; private set; } = [];

    /// <summary>Primeros pasos, shown until every step is done.</summary>
    public IReadOnlyList<SetupChecklist.Step> Checklist { get; private set; } = [];
    public bool ShowChecklist => Checklist.Any(s => !s.Done);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = ChileFormats.Today(clock);
        Checklist = await SetupChecklist.LoadAsync(db, today, ct);
        Aging = await owed.TotalsAsync(new OwedDocumentsFilter(), today, ct);
        Customers = await db.Customers.CountAsync(ct);

        // Payments are stored in UTC; shift by Chile's current offset to group them by Chilean day.
        var offset = ChileFormats.TimeZone.GetUtcOffset(clock.GetUtcNow()).TotalHours;
        var since = PaymentsReport.ChileStartOfDayUtc(today.AddDays(-29));
        var monthStart = PaymentsReport.ChileStartOfDayUtc(new DateOnly(today.Year, today.Month, 1));
        var from = since < monthStart ? since : monthStart;
        var perDay = await db.Payments.AsNoTracking()
            .Where(p => p.PaidAt >= from)
            .GroupBy(p => p.PaidAt.AddHours(offset).Date)
            .Select(g => new { Day = g.Key, Amount = g.Sum(p => p.Amount - p.CreditAmount) })
            .ToListAsync(ct);
        var byDay = perDay.ToDictionary(x => DateOnly.FromDateTime(x.Day), x => x.Amount);
        Daily = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29)).Select(d => (d, byDay.GetValueOrDefault(d))).ToList();
        CollectedToday = byDay.GetValueOrDefault(today);
        CollectedThisMonth = byDay.Where(kv => kv.Key.Year == today.Year && kv.Key.Month == today.Month).Sum(kv => kv.Value);

        Recent = await db.Documents.AsNoTracking()
            .OrderByDescending(d => d.Id)
            .Take(8)
            .Select(d => new RecentDocument(d.Id, d.Type, d.Folio, d.Customer == null ? null : d.Customer.Name, d.IssueDate, d.Total, d.Balance))
            .ToListAsync(ct);
    }

    public sealed record RecentDocument(long Id, DocumentType Type, long Folio, string? CustomerName, DateOnly IssueDate, long Total, long Balance);
}
