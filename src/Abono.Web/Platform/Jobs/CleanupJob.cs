using Abono.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Platform.Jobs;

/// <summary>
/// Deletes what has served its purpose: used or expired one-time codes, old login-failure counters, "pago en
/// proceso" locks left behind by checkouts that can no longer succeed (a safety net: confirmation removes them), API idempotency records past their window, and delivered outbox / processed inbox rows
/// after 30 days. Every statement is a plain DELETE of rows past a date, so N instances running it at once, or a
/// run repeated after a crash, change nothing twice.
/// </summary>
public sealed class CleanupJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CleanupJob> logger)
{
    public static readonly TimeSpan KeepHistory = TimeSpan.FromDays(30);

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var old = now - KeepHistory;
        var deleted = 0;
        deleted += await db.PortalVerificationCodes.IgnoreQueryFilters().Where(c => c.ExpiresAt < now - TimeSpan.FromDays(1)).ExecuteDeleteAsync(ct);
        deleted += await db.PortalLoginFailures.Where(f => f.At < now - TimeSpan.FromDays(1)).ExecuteDeleteAsync(ct);
        deleted += await db.DocumentPaymentLocks.IgnoreQueryFilters()
            .Where(l => !db.Checkouts.IgnoreQueryFilters().Any(c => c.Id == l.CheckoutId)
                || db.Checkouts.IgnoreQueryFilters().Any(c => c.Id == l.CheckoutId
                    && (c.State == Features.Payments.CheckoutState.Succeeded || (c.NextCheckAt == null && (c.State == Features.Payments.CheckoutState.Failed
                        || c.State == Features.Payments.CheckoutState.Cancelled || c.State == Features.Payments.CheckoutState.Expired)))))
            .ExecuteDeleteAsync(ct);
        deleted += await db.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.CreatedAt < now - TimeSpan.FromDays(2)).ExecuteDeleteAsync(ct);
        deleted += await db.Outbox.Where(m => m.SentAt != null && m.SentAt < old).ExecuteDeleteAsync(ct);
        deleted += await db.InboxEvents.Where(e => e.ProcessedAt != null && e.ProcessedAt < old).ExecuteDeleteAsync(ct);
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
