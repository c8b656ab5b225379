using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Billing;

/// <summary>
/// Issues each period's platform invoice for every active add-on, and ends cancelled ones at their period end.
/// Each period is claimed with a guarded UPDATE of NextChargeDate (only one caller sees the row change), and the
/// invoice is unique per subscription and period, so runs that repeat or overlap on several instances issue one
/// invoice per period. Catches up on every period missed while nothing ran.
/// </summary>
public sealed class MonthlyInvoicing(IServiceScopeFactory scopes, TimeProvider clock, ILogger<MonthlyInvoicing> logger)
{
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var today = ChileFormats.Today(clock);
        var issued = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
            var due = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
                .Where(s => (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Cancelling) && s.NextChargeDate <= today)
                .OrderBy(s => s.NextChargeDate)
                .Take(100)
                .ToListAsync(ct);
            if (due.Count == 0)
            {
                return issued;
            }
            foreach (var subscription in due)
            {
                if (await ChargeOnePeriodAsync(db, subscription, ct))
                {
                    issued++;
                }
            }
        }
    }

    private async Task<bool> ChargeOnePeriodAsync(AbonoDbContext db, ServiceSubscription subscription, CancellationToken ct)
    {
        var period = subscription.NextChargeDate!.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        if (subscription.Status == SubscriptionStatus.Cancelling && subscription.EndsOn <= period)
        {
            await db.Subscriptions.IgnoreQueryFilters()
                .Where(s => s.Id == subscription.Id && s.NextChargeDate == period && s.Status == SubscriptionStatus.Cancelling)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SubscriptionStatus.Ended).SetProperty(x => x.NextChargeDate, (DateOnly?)null), ct);
            await transaction.CommitAsync(ct);
            return false;
        }

        var next = period.AddMonths(1);
        var claimed = await db.Subscriptions.IgnoreQueryFilters()
            .Where(s => s.Id == subscription.Id && s.NextChargeDate == period
                && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Cancelling))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextChargeDate, next).SetProperty(x => x.CurrentPeriodStart, period), ct);
        if (claimed == 0)
        {
            return false;
        }
        var addOn = await db.AddOns.AsNoTracking().SingleAsync(a => a.Code == subscription.AddOnCode, ct);
        db.PlatformInvoices.Add(new PlatformInvoice
        {
            CompanyId = subscription.CompanyId,
            SubscriptionId = subscription.Id,
            PeriodStart = period,
            PeriodEnd = next.AddDays(-1),
            Description = $"{addOn.Name} (servicio adicional)",
            Amount = subscription.MonthlyPrice,
            IssuedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return false;
        }
        await transaction.CommitAsync(ct);
        logger.LogInformation("Invoiced subscription {SubscriptionId} for the period starting {Period}.", subscription.Id, period);
        return true;
    }
}

/// <summary>Runs the invoicing every hour; the job itself is safe to run anywhere, any number of times.</summary>
public sealed class MonthlyInvoicingWorker(MonthlyInvoicing invoicing, IConfiguration configuration, ILogger<MonthlyInvoicingWorker> logger)
    : Platform.Jobs.PeriodicWorker(configuration, logger, TimeSpan.FromHours(1), runAtStart: true)
{
    protected override Task RunOnceAsync(CancellationToken ct) => invoicing.RunAsync(ct);
}
