using Abono.Web.Features.Billing;
using Abono.Web.Features.Payments;

namespace Abono.Tests.Payments;

/// <summary>Checkouts that never got an answer: confirmed if the gateway says paid, expired (locks released) if not.</summary>
public class CheckoutJanitorTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    [Fact]
    public async Task A_payer_who_paid_but_never_came_back_is_confirmed_and_one_who_left_is_expired()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);

        // Payer 1 approves at the sandbox but the browser never returns to Abono.
        var first = await s.IdentifiedPayerAsync();
        var sandbox = await s.PayAsync(first, [s.DocumentIds[0]], decision: "none");
        var form = sandbox.FormFields(new Dictionary<string, string?>(), "button[value=aprobar]", null);
        await first.Http.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields));   // not following the redirect back

        // Payer 2 opens the sandbox for the other document and walks away.
        var second = await s.IdentifiedPayerAsync();
        await s.PayAsync(second, [s.DocumentIds[1]], decision: "none");

        var janitor = factory.Services.GetRequiredService<CheckoutJanitor>();
        Assert.Equal(0, await janitor.RunAsync());   // too recent to ask about

        factory.Clock.Advance(TimeSpan.FromMinutes(6));
        await Task.WhenAll(janitor.RunAsync(), janitor.RunAsync());
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Id == s.DocumentIds[0])).Balance);
            Assert.Single(await scope.Db.Payments.ToListAsync());
            Assert.Equal(23_800, (await scope.Db.Documents.SingleAsync(d => d.Id == s.DocumentIds[1])).Balance);
        }

        factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace);
        await janitor.RunAsync();
        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        var states = await check.Db.Checkouts.Where(c => c.Purpose == CheckoutPurpose.DocumentPayment).OrderBy(c => c.CreatedAt).Select(c => c.State).ToListAsync();
        Assert.Equal([CheckoutState.Succeeded, CheckoutState.Expired], states);
        Assert.Empty(await check.Db.DocumentPaymentLocks.ToListAsync());
        Assert.Single(await check.Db.Payments.ToListAsync());
        Assert.Equal(SubscriptionStatus.Active, (await check.Db.Subscriptions.SingleAsync()).Status);
    }
}
