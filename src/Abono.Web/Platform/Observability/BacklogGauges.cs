using System.Diagnostics.Metrics;
using Abono.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Platform.Observability;

/// <summary>
/// Gauges of work waiting in the database. Observable-gauge callbacks must not query, so <see cref="BacklogSampler"/>
/// samples every 15 s and the callbacks read the last sample. Each module registers its own (the outbox here; stored
/// webhooks and open checkouts in Features/Payments). Every instance reports the same database-wide figures.
/// </summary>
public interface IBacklogSample
{
    Task SampleAsync(AbonoDbContext db, DateTime now, CancellationToken ct);
}

/// <summary>The outbox: messages not yet delivered, and the age of the oldest.</summary>
public sealed class BacklogGauges : IBacklogSample
{
    private volatile Snapshot _last = new(0, 0);

    public BacklogGauges(IMeterFactory meters)
    {
        var meter = meters.Create(AbonoMetrics.MeterName);
        meter.CreateObservableGauge("abono.outbox.backlog", () => _last.OutboxBacklog, description: "Outbox messages not yet delivered");
        meter.CreateObservableGauge("abono.outbox.oldest_age", () => _last.OutboxOldestSeconds, unit: "s", description: "Age of the oldest undelivered outbox message");
    }

    public Snapshot Last => _last;

    public async Task SampleAsync(AbonoDbContext db, DateTime now, CancellationToken ct)
    {
        var outbox = db.Outbox.Where(m => m.SentAt == null);
        var oldest = await outbox.MinAsync(m => (DateTime?)m.CreatedAt, ct);
        _last = new Snapshot(await outbox.LongCountAsync(ct), oldest is { } o ? (now - o).TotalSeconds : 0);
    }

    public sealed record Snapshot(long OutboxBacklog, double OutboxOldestSeconds);
}

public sealed class BacklogSampler(IEnumerable<IBacklogSample> samples, IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<BacklogSampler> logger)
    : Jobs.PeriodicWorker(configuration, logger, TimeSpan.FromSeconds(15), runAtStart: true)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        foreach (var sample in samples)
        {
            await sample.SampleAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        }
    }
}
