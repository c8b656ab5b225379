using Abono.Web.Features.Billing;
using Abono.Web.Platform.Chile;
using Microsoft.Extensions.Time.Testing;

namespace Abono.Tests.Billing;

public class MonthlyInvoicingTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private async Task<Guid> ActiveSubscriptionAsync(DateOnly since, long price)
    {
        var merchant = await Merchant.SignUpAsync(factory);
        await using var scope = factory.ScopeFor(merchant.CompanyId);
        scope.Db.Subscriptions.Add(new ServiceSubscription
        {
            AddOnCode = AddOn.PortalDePagos, Status = SubscriptionStatus.Active, MonthlyPrice = price,
            CreatedAt = DateTime.UtcNow, ActivatedAt = DateTime.UtcNow, CurrentPeriodStart = since, NextChargeDate = since.AddMonths(1),
        });
        await scope.Db.SaveChangesAsync();
        return merchant.CompanyId;
    }

    private MonthlyInvoicing JobAt(DateTimeOffset now) =>
        new(factory.Services.GetRequiredService<IServiceScopeFactory>(), new FakeTimeProvider(now),
            factory.Services.GetRequiredService<ILogger<MonthlyInvoicing>>());

    [Fact]
    public async Task Running_twice_or_on_two_instances_at_once_issues_one_invoice_per_period_and_catches_up()
    {
        var today = ChileFormats.Today(TimeProvider.System);
        var companyId = await ActiveSubscriptionAsync(today.AddMonths(-3), 9_990);   // periods due: -2, -1 and 0 months

        var job = JobAt(DateTimeOffset.UtcNow);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => job.RunAsync())));
        var again = await job.RunAsync();

        Assert.True(concurrent.Sum() >= 3);   // other tests' subscriptions in this database may be due too
        Assert.Equal(0, again);
        await using var scope = factory.ScopeFor(companyId);
        var invoices = await scope.Db.PlatformInvoices.OrderBy(i => i.PeriodStart).ToListAsync();
        Assert.Equal([today.AddMonths(-2), today.AddMonths(-1), today], invoices.Select(i => i.PeriodStart));
        Assert.All(invoices, i => Assert.Equal(9_990, i.Amount));
        Assert.All(invoices, i => Assert.Contains("servicio adicional", i.Description));
        Assert.Equal(today.AddMonths(1), (await scope.Db.Subscriptions.SingleAsync()).NextChargeDate);
    }

    [Fact]
    public async Task The_price_is_the_one_fixed_when_contracting()
    {
        var today = ChileFormats.Today(TimeProvider.System);
        var companyId = await ActiveSubscriptionAsync(today.AddMonths(-1), 7_500);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            await db.AddOns.Where(a => a.Code == AddOn.PortalDePagos).ExecuteUpdateAsync(s => s.SetProperty(a => a.MonthlyPrice, 12_000L));
        }
        try
        {
            await JobAt(DateTimeOffset.UtcNow).RunAsync();
            await using var check = factory.ScopeFor(companyId);
            Assert.Equal(7_500, (await check.Db.PlatformInvoices.SingleAsync()).Amount);
        }
        finally
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
            await db.AddOns.Where(a => a.Code == AddOn.PortalDePagos).ExecuteUpdateAsync(s => s.SetProperty(a => a.MonthlyPrice, 9_990L));
        }
    }

    [Fact]
    public async Task A_cancelled_service_stays_until_its_period_ends_and_is_not_invoiced_again()
    {
        var today = ChileFormats.Today(TimeProvider.System);
        var companyId = await ActiveSubscriptionAsync(today.AddDays(-10), 9_990);
        await using (var scope = factory.ScopeFor(companyId))
        {
            var subscription = await scope.Db.Subscriptions.SingleAsync();
            subscription.Status = SubscriptionStatus.Cancelling;
            subscription.EndsOn = subscription.NextChargeDate;
            await scope.Db.SaveChangesAsync();
            Assert.True(subscription.IsActiveOn(today));
        }

        var afterPeriod = DateTimeOffset.UtcNow.AddMonths(1).AddDays(1);
        await JobAt(afterPeriod).RunAsync();

        await using var check = factory.ScopeFor(companyId);
        var ended = await check.Db.Subscriptions.SingleAsync();
        Assert.Equal(SubscriptionStatus.Ended, ended.Status);
        Assert.False(ended.IsActiveOn(today.AddMonths(1).AddDays(1)));
        Assert.Empty(await check.Db.PlatformInvoices.ToListAsync());
    }
}
