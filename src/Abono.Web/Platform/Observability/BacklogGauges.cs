using System.Diagnostics.Metrics;
using Abono.Web.Data;
using Abono.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Platform.Observability;

/// <summary>
/// Gauges of work waiting in the database: outbox backlog and its oldest age, webhook inbox backlog and lag, open
/// checkouts by state. Observable-gauge callbacks must not query, so a worker samples the database every 15 s and the
/// callbacks read the last sample. Every instance reports the same database-wide figures.
/// </summary>
public sealed class BacklogGauges
{
    private volatile Snapshot _last = new(0, 0, 0, 0, 0, 0);

    public BacklogGauges(IMeterFactory meters)
    {
        var meter = meters.Create(AbonoMetrics.MeterName);
        meter.CreateObservableGauge("abono.outbox.backlog", () => _last.OutboxBacklog, description: "Outbox messages not yet delivered");
        meter.CreateObservableGauge("abono.outbox.oldest_age", () => _last.OutboxOldestSeconds, unit: "s", description: "Age of the oldest undelivered outbox message");
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
        var outbox = db.Outbox.Where(m => m.SentAt == null);
        var inbox = db.InboxEvents.Where(e => e.ProcessedAt == null);
        var oldestOutbox = await outbox.MinAsync(m => (DateTime?)m.CreatedAt, ct);
        var oldestInbox = await inbox.MinAsync(e => (DateTime?)e.ReceivedAt, ct);
        var open = await db.Checkouts.IgnoreQueryFilters().Where(c => c.State == CheckoutState.Pending || c.State == CheckoutState.Unknown)
            .GroupBy(c => c.State).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        _last = new Snapshot(
            await outbox.LongCountAsync(ct), oldestOutbox is { } o ? (now - o).TotalSeconds : 0,
            await inbox.LongCountAsync(ct), oldestInbox is { } i ? (now - i).TotalSeconds : 0,
            open.Where(x => x.Key == CheckoutState.Pending).Sum(x => x.Count), open.Where(x => x.Key == CheckoutState.Unknown).Sum(x => x.Count));
    }

    public sealed record Snapshot(long OutboxBacklog, double OutboxOldestSeconds, long InboxBacklog, double InboxOldestSeconds, long Pending, long Unknown);
}

public sealed class BacklogSampler(BacklogGauges gauges, IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<BacklogSampler> logger)
    : Jobs.PeriodicWorker(configuration, logger, TimeSpan.FromSeconds(15), runAtStart: true)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await gauges.SampleAsync(scope.ServiceProvider.GetRequiredService<AbonoDbContext>(), clock.GetUtcNow().UtcDateTime, ct);
    }
}
