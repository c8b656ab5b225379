using Abono.Web.Platform.Jobs;
using Abono.FakeGateways;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Gateways;

namespace Abono.Tests.Payments.Gateways;

/// <summary>Stripe Checkout through Stripe.net against the fake: clp sessions, Stripe-Signature webhooks, session reads.</summary>
public class StripeTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private InboxProcessor Inbox => factory.Services.GetRequiredService<InboxProcessor>();

    [Fact]
    public async Task A_payer_pays_at_Stripe_Checkout_and_one_payment_is_recorded_in_clp()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Stripe);
        var (browser, stripe) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        Assert.Contains("Stripe Checkout", stripe.Text);
        var checkout = await g.LastCheckoutAsync();
        var session = factory.Fakes.State.StripeSessions[checkout.GatewayReference!];
        Assert.Equal(("clp", 11_900L, checkout.Id.ToString()), (session.Currency, session.Amount, session.ClientReferenceId));
        Assert.InRange(session.ExpiresAt - session.Created, 1800, 86_400);

        var result = await browser.SubmitAsync(stripe, "button[value=pay]");
        Assert.Contains("¡Pago realizado!", result.Text);
        Assert.Contains(browser.History, u => u.Contains("session_id=cs_test_"));
        await Inbox.RunOnceAsync();
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var payment = await scope.Db.Payments.SingleAsync();
        Assert.Equal((GatewayKind.Stripe, 11_900L), (payment.Method, payment.Amount));
        Assert.Equal("duplicate", (await scope.Db.InboxEvents.SingleAsync(e => e.CheckoutId == checkout.Id)).Outcome);
    }

    [Fact]
    public async Task A_declined_card_keeps_the_payer_at_Stripe_and_going_back_cancels_without_a_charge()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Stripe);
        var (browser, stripe) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var declined = await browser.SubmitAsync(stripe, "button[value=pay]", new Dictionary<string, string?> { ["card"] = "4000000000000002" });
        Assert.Contains("rechazada", declined.Text);
        Assert.Equal(CheckoutState.Pending, (await g.LastCheckoutAsync()).State);

        var back = await browser.GetAsync(factory.Fakes.State.StripeSessions[(await g.LastCheckoutAsync()).GatewayReference!].CancelUrl);
        Assert.Contains("Volviste de Stripe sin pagar", back.Text);
        Assert.Equal(CheckoutState.Cancelled, (await g.LastCheckoutAsync()).State);
    }

    [Fact]
    public async Task An_expired_session_event_expires_the_checkout_and_frees_the_documents()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Stripe);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        await StripeFake.ExpireAsync(factory.Fakes.State, checkout.GatewayReference!);
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Expired, (await g.LastCheckoutAsync()).State);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await scope.Db.DocumentPaymentLocks.ToListAsync());
    }

    [Fact]
    public async Task Out_of_order_events_converge_on_the_sessions_current_state()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Stripe);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        factory.Fakes.State.DeliverWebhooks = false;
        try
        {
            await StripeFake.CompleteAsync(factory.Fakes.State, checkout.GatewayReference!);
            var completed = factory.Fakes.State.Webhooks.Last();
            // A stale "expired" event (e.g. replayed by a retry) arrives after the completion.
            var session = factory.Fakes.State.StripeSessions[checkout.GatewayReference!];
            await StripeFake.SendEventAsync(factory.Fakes.State, session, "checkout.session.expired");
            var expired = factory.Fakes.State.Webhooks.Last();
            using var http = factory.CreateClient();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(expired.ToRequest())).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(completed.ToRequest())).StatusCode);
        }
        finally
        {
            factory.Fakes.State.DeliverWebhooks = true;
        }
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
    }

    [Fact]
    public async Task A_signed_event_stamped_with_another_API_version_is_stored_and_records_the_payment()
    {
        const string otherVersion = "2025-03-31.basil";
        Assert.False(global::Stripe.EventUtility.IsCompatibleApiVersion(otherVersion));   // another release train than Stripe.net's
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Stripe);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        var state = factory.Fakes.State;
        state.DeliverWebhooks = false;
        state.StripeEventApiVersion = otherVersion;   // the account's API version, not the SDK's
        RecordedWebhook completed;
        try
        {
            await StripeFake.CompleteAsync(state, checkout.GatewayReference!);
            completed = state.Webhooks.Last();
        }
        finally
        {
            state.StripeEventApiVersion = StripeFake.ApiVersion;
            state.DeliverWebhooks = true;
        }
        Assert.Contains($"\"api_version\":\"{otherVersion}\"", completed.Body);

        using var http = factory.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(completed.ToRequest())).StatusCode);
        var eventId = System.Text.Json.JsonDocument.Parse(completed.Body).RootElement.GetProperty("id").GetString();
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            Assert.Equal(1, await scope.Db.InboxEvents.CountAsync(e => e.EventId == eventId));
        }
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var payment = await check.Db.Payments.SingleAsync();
        Assert.Equal((GatewayKind.Stripe, 11_900L, checkout.Id), (payment.Method, payment.Amount, payment.CheckoutId));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"created\":\"yesterday\",\"type\":\"checkout.session.completed\"}")]
    public async Task A_signed_but_unparsable_Stripe_event_is_answered_400_and_stored_nowhere(string body)
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Stripe);
        using var http = factory.CreateClient();
        async Task<System.Net.HttpStatusCode> PostAsync(string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/stripe/{WebhookKeys.ForMethod(g.MethodId)}")
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeFake.SignatureHeader(body, secret, factory.Clock.GetUtcNow().ToUnixTimeSeconds()));
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        int before;
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            before = await scope.Db.InboxEvents.CountAsync();
        }

        // Signed with the method's secret: genuine, but unreadable — a bad request, not a 500.
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, await PostAsync(FakeAccounts.StripeWebhookSecret));
        // The same body signed with anyone else's secret is still a forgery.
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync("whsec_someoneElsesSigningSecret"));
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(before, await check.Db.InboxEvents.CountAsync());
    }

    [Fact]
    public async Task A_session_read_that_times_out_is_Unknown_then_reconciled()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Stripe);
        var (browser, stripe) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        factory.Fakes.State.DeliverWebhooks = false;
        // Every read of the session on return times out (Stripe.net retries twice).
        factory.Fakes.State.Faults.Add("stripe.session", new Fault(FaultKind.Timeout), times: 3);
        try
        {
            var result = await browser.SubmitAsync(stripe, "button[value=pay]");
            Assert.Contains("Tu pago aún no se confirma", result.Text);
        }
        finally
        {
            factory.Fakes.State.DeliverWebhooks = true;
        }
        Assert.Equal(CheckoutState.Unknown, (await g.LastCheckoutAsync()).State);
        factory.Clock.Advance(Backoff.CheckoutStatus.Initial);
        await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
    }

    [Fact]
    public async Task Reembolsar_refunds_part_of_the_payment_intent_with_an_idempotency_key()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Stripe);
        var (browser, stripe) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        await browser.SubmitAsync(stripe, "button[value=pay]");
        var paymentId = await g.LastPaymentIdAsync();
        var page = await g.RefundAsync(paymentId, 1_900);
        Assert.Contains("Reembolsamos $1.900", page.Text);
        Assert.Equal(1_900, factory.Fakes.State.StripeSessions[(await g.LastCheckoutAsync()).GatewayReference!].Refunded);
        Assert.Contains(factory.Fakes.State.StripeIdempotency.Keys, k => k.Contains("|abono-refund-", StringComparison.Ordinal));
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(1_900, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
        Assert.Equal(PaymentStatus.Confirmed, (await check.Db.Payments.SingleAsync()).Status);
    }

    [Fact]
    public async Task Five_simultaneous_full_refunds_of_one_payment_return_the_money_once()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Stripe);
        var (browser, stripe) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        await browser.SubmitAsync(stripe, "button[value=pay]");
        var paymentId = await g.LastPaymentIdAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
        {
            await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
            return await scope.Get<Refunds>().RefundAsync(paymentId, 11_900, $"admin{i}@empresa.cl", default);
        }));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains("reembols", r.Message));
        Assert.Equal(11_900, factory.Fakes.State.StripeSessions[(await g.LastCheckoutAsync()).GatewayReference!].Refunded);
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var payment = await check.Db.Payments.SingleAsync();
        Assert.Equal((11_900L, PaymentStatus.Refunded), (payment.RefundedAmount, payment.Status));
        Assert.Equal(11_900, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
        Assert.Equal(1, await check.Db.PaymentRefunds.CountAsync());
    }
}
