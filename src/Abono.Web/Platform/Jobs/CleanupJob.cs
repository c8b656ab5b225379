using Abono.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Platform.Jobs;

/// <summary>
/// Deletes what has served its purpose: old login-failure counters and delivered outbox rows after 30 days here, and
/// whatever each module registered as an <see cref="ICleanupTask"/> (used codes, stale locks, idempotency records,
/// processed webhooks). Every statement is a plain DELETE of rows past a date, so N instances running it at once, or
/// a run repeated after a crash, change nothing twice.
/// </summary>
public sealed class CleanupJob(IServiceScopeFactory scopes, IEnumerable<ICleanupTask> tasks, TimeProvider clock, ILogger<CleanupJob> logger)
{
    public static readonly TimeSpan KeepHistory = TimeSpan.FromDays(30);

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var deleted = 0;
        deleted += await db.PortalLoginFailures.Where(f => f.At < now - TimeSpan.FromDays(1)).ExecuteDeleteAsync(ct);
        deleted += await db.Outbox.Where(m => m.SentAt != null && m.SentAt < now - KeepHistory).ExecuteDeleteAsync(ct);
        foreach (var task in tasks)
        {
            deleted += await task.DeleteExpiredAsync(db, now, ct);
        }
        if (deleted > 0)
        {
            logger.LogInformation("Cleanup removed {Rows} rows past their retention.", deleted);
        }
        return deleted;
    }
}

public sealed class CleanupWorker(CleanupJob job, IConfiguration configuration, ILogger<CleanupWorker> logger)
    : PeriodicWorker(configuration, logger, TimeSpan.FromHours(1), runAtStart: false)
{
    protected override Task RunOnceAsync(CancellationToken ct) => job.RunAsync(ct);
}

public static class JobsExtensions
{
    public static IHostApplicationBuilder AddAbonoJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CleanupJob>();
        builder.Services.AddHostedService<CleanupWorker>();
        return builder;
    }
}
