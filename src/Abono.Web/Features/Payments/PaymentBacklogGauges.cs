using System.Diagnostics.Metrics;
using Abono.Web.Data;
using Abono.Web.Platform.Observability;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments;

/// <summary>Gateway webhooks stored but not processed (backlog and lag), and checkouts waiting for a verified answer, by state.</summary>
public sealed class PaymentBacklogGauges : IBacklogSample
{
    private volatile Snapshot _last = new(0, 0, 0, 0);

    public PaymentBacklogGauges(IMeterFactory meters)
    {
        var meter = meters.Create(AbonoMetrics.MeterName);
        meter.CreateObservableGauge("abono.webhooks.backlog", () => _last.InboxBacklog, description: "Gateway webhooks stored but not processed");
        meter.CreateObservableGauge("abono.webhooks.lag", () => _last.InboxOldestSeconds, unit: "s", description: "Age of the oldest unprocessed gateway webhook");
        meter.CreateObservableGauge("abono.checkouts.open", () => new[]
        {
            new Measurement<long>(_last.Pending, new KeyValuePair<string, object?>("state", nameof(CheckoutState.Pending))),
            new Measurement<long>(_last.Unknown, new KeyValuePair<string, object?>("state", nameof(CheckoutState.Unknown))),
        }, description: "Checkouts waiting for a verified answer, by state");
    }

    public Snapshot Last => _last;

    public async Task SampleAsync(AbonoDbContext db, DateTime now, CancellationToken ct)
    {
        var inbox = db.InboxEvents.Where(e => e.ProcessedAt == null);
        var oldest = await inbox.MinAsync(e => (DateTime?)e.ReceivedAt, ct);
        var open = await db.Checkouts.IgnoreQueryFilters().Where(c => c.State == CheckoutState.Pending || c.State == CheckoutState.Unknown)
            .GroupBy(c => c.State).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        _last = new Snapshot(await inbox.LongCountAsync(ct), oldest is { } o ? (now - o).TotalSeconds : 0,
            open.Where(x => x.Key == CheckoutState.Pending).Sum(x => x.Count), open.Where(x => x.Key == CheckoutState.Unknown).Sum(x => x.Count));
    }

    public sealed record Snapshot(long InboxBacklog, double InboxOldestSeconds, long Pending, long Unknown);
}
