using Abono.Web.Features.Collections;
using Abono.Web.Platform.Jobs;
using Abono.Web.Features.Portal;
using Abono.Web.Platform.Security;

namespace Abono.Tests.Platform;

/// <summary>Token and lock cleanup: only rows past their date go, and instances running it at once change nothing twice.</summary>
public class CleanupJobTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    [Fact]
    public async Task Expired_codes_counters_and_locks_of_settled_checkouts_are_removed_and_live_ones_kept()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 3);
        // Two payers leave at the gateway: each checkout holds a lock on its document.
        await s.PayAsync(await s.IdentifiedPayerAsync(), [s.DocumentIds[0]], decision: "none");
        await s.PayAsync(await s.IdentifiedPayerAsync(), [s.DocumentIds[1]], decision: "none");
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            scope.Db.PortalVerificationCodes.Add(new PortalVerificationCode { CustomerId = s.CustomerId, CodeHash = "old", CreatedAt = now.AddDays(-3), ExpiresAt = now.AddDays(-3) });
            scope.Db.PortalVerificationCodes.Add(new PortalVerificationCode { CustomerId = s.CustomerId, CodeHash = "live", CreatedAt = now, ExpiresAt = now.AddMinutes(10) });
            // The second one was settled (expired, no longer asked about) but its lock was left behind; a third lock
            // names no checkout at all (written by an older version before its checkout, which then never came).
            var settled = await scope.Db.DocumentPaymentLocks.Where(l => l.DocumentId == s.DocumentIds[1]).Select(l => l.CheckoutId).SingleAsync();
            await scope.Db.Checkouts.Where(c => c.Id == settled).ExecuteUpdateAsync(x => x
                .SetProperty(c => c.State, Abono.Web.Features.Payments.CheckoutState.Expired).SetProperty(c => c.NextCheckAt, (DateTime?)null));
            scope.Db.DocumentPaymentLocks.Add(new DocumentPaymentLock { DocumentId = s.DocumentIds[2], CheckoutId = Guid.NewGuid(), ExpiresAt = now.AddMinutes(10) });
            scope.Db.PortalLoginFailures.Add(new LoginFailure { KeyHash = "k-old", At = now.AddDays(-2) });
            scope.Db.PortalLoginFailures.Add(new LoginFailure { KeyHash = "k-live", At = now });
            await scope.Db.SaveChangesAsync();
        }

        var job = factory.Services.GetRequiredService<CleanupJob>();
        var removed = await Task.WhenAll(job.RunAsync(), job.RunAsync(), job.RunAsync());
        Assert.True(removed.Sum() >= 3);

        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Equal(["live"], await check.Db.PortalVerificationCodes.Select(c => c.CodeHash).ToListAsync());
        Assert.Equal([s.DocumentIds[0]], await check.Db.DocumentPaymentLocks.Select(l => l.DocumentId).ToListAsync());
        Assert.DoesNotContain("k-old", await check.Db.PortalLoginFailures.Select(f => f.KeyHash).ToListAsync());
        Assert.Contains("k-live", await check.Db.PortalLoginFailures.Select(f => f.KeyHash).ToListAsync());
    }
}
