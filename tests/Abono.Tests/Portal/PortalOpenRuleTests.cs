using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Features.Portal;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Portal;

/// <summary>
/// "Is this company's Portal de pagos open today" is one rule (<see cref="ServiceSubscription.ActiveOn"/>), and every
/// place that asks it gives the same answer for every status and end date: the service's own check, the back office's
/// query, the portal pages' compiled query (which has to repeat the rule) and the reminders' query.
/// </summary>
public class PortalOpenRuleTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Every_caller_of_the_portal_open_rule_agrees_for_every_status_and_end_date()
    {
        var scenario = await PortalScenario.CreateAsync(factory, documents: 1);
        var companyId = scenario.Merchant.CompanyId;
        var today = ChileFormats.Today(factory.Services.GetRequiredService<TimeProvider>());
        var checkedCases = 0;
        foreach (var status in Enum.GetValues<SubscriptionStatus>())
        {
            foreach (DateOnly? endsOn in new DateOnly?[] { null, today.AddDays(-1), today, today.AddDays(1) })
            {
                await using var scope = factory.ScopeFor(companyId);
                var db = scope.Db;
                var subscription = await db.Subscriptions.SingleAsync(s => s.AddOnCode == AddOn.PortalDePagos);
                subscription.Status = status;
                subscription.EndsOn = endsOn;
                await db.SaveChangesAsync();

                var expected = status is SubscriptionStatus.Active or SubscriptionStatus.Cancelling && (endsOn is null || today < endsOn);
                var because = $"status {status}, ends {endsOn?.ToString() ?? "never"}";
                Assert.True(expected == subscription.IsActiveOn(today), because);
                Assert.True(expected == await PortalAccess.IsContractedAsync(db, companyId, today, default), because);
                Assert.True(expected == (await PortalAccess.FindActiveAsync(db, scenario.Code, today, default) is not null), because);
                Assert.True(expected == await PortalAccess.OpenOn(db.Subscriptions.IgnoreQueryFilters(), today).AnyAsync(s => s.CompanyId == companyId), because);
                checkedCases++;
            }
        }
        Assert.Equal(Enum.GetValues<SubscriptionStatus>().Length * 4, checkedCases);
    }
}
