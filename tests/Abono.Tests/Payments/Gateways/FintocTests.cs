using Abono.Web.Platform.Jobs;
using Abono.FakeGateways;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Gateways;

namespace Abono.Tests.Payments.Gateways;

/// <summary>Fintoc checkout sessions against the fake: Fintoc-Signature webhooks, session reads, company payments pending.</summary>
public class FintocTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private InboxProcessor Inbox => factory.Services.GetRequiredService<InboxProcessor>();

    private FintocSession SessionOf(Checkout checkout) => factory.Fakes.State.FintocSessions[checkout.GatewayReference!];

    [Fact]
    public async Task A_payer_pays_from_a_personal_account_and_one_payment_is_recorded()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        var (browser, fintoc) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        Assert.Contains("Fintoc", fintoc.Text);
        Assert.Contains("11.900", fintoc.Text);
        var checkout = await g.LastCheckoutAsync();
        var session = SessionOf(checkout);
        Assert.Equal((11_900L, "CLP", checkout.Id.ToString(), PortalScenario.CustomerEmail),
            (session.Amount, session.Currency, (string?)session.Metadata["checkout_id"], session.CustomerEmail));

        var result = await browser.SubmitAsync(fintoc, "button[value=personal]");
        Assert.Contains("¡Pago realizado!", result.Text);
        await Inbox.RunOnceAsync();
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var payment = await scope.Db.Payments.SingleAsync();
        Assert.Equal((GatewayKind.Fintoc, 11_900L), (payment.Method, payment.Amount));
        Assert.All(await scope.Db.InboxEvents.Where(e => e.CheckoutId == checkout.Id).ToListAsync(), e => Assert.Equal("duplicate", e.Outcome));
    }

    [Fact]
    public async Task A_company_payment_stays_pending_until_its_apoderados_sign_and_is_then_recorded_once()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        var (browser, fintoc) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var result = await browser.SubmitAsync(fintoc, "button[value=company]");
        Assert.Contains("Tu pago aún no se confirma", result.Text);
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Pending, (await g.LastCheckoutAsync()).State);

        factory.Clock.Advance(factory.Fakes.State.FintocCompanyDelay + TimeSpan.FromSeconds(1));
        await FintocFake.SettlePendingAsync(factory.Fakes.State);   // they signed: payment_intent.succeeded
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Single(await scope.Db.Payments.ToListAsync());
        Assert.Equal(2, await g.EmailsContainingAsync("Comprobante de pago"));
    }

    [Fact]
    public async Task A_company_payment_still_unsigned_past_our_deadline_is_never_expired_and_is_recorded_when_signed()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        var (browser, fintoc) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var state = factory.Fakes.State;
        state.FintocCompanyDelay = TimeSpan.FromHours(6);
        state.DeliverWebhooks = false;   // and every webhook is lost: only reconciliation can tell
        try
        {
            await browser.SubmitAsync(fintoc, "button[value=company]");
            var janitor = factory.Services.GetRequiredService<CheckoutJanitor>();
            factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace + TimeSpan.FromMinutes(1));
            await janitor.RunAsync();
            var waiting = await g.LastCheckoutAsync();
            Assert.Equal(CheckoutState.Pending, waiting.State);   // not Expired: the bank holds a payment waiting for signatures
            Assert.NotNull(waiting.NextCheckAt);
            factory.Clock.Advance(TimeSpan.FromHours(6));
            await janitor.RunAsync();
        }
        finally
        {
            state.FintocCompanyDelay = TimeSpan.FromSeconds(30);
            state.DeliverWebhooks = true;
        }
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Single(await scope.Db.Payments.ToListAsync());
    }

    [Fact]
    public async Task A_session_nobody_opened_is_expired_at_Fintoc_when_our_time_runs_out_so_it_can_no_longer_be_paid()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        // The payer got the link to Fintoc's page but never opened it: the session is created, payable until expired.
        await g.Portal.PostPaymentAsync(await g.Portal.IdentifiedPayerAsync(), [g.Portal.DocumentIds[0]], methodId: g.MethodId);
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal("created", SessionOf(checkout).Status);
        var expiredBefore = factory.Fakes.State.FintocExpireCalls;

        factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace + TimeSpan.FromMinutes(1));
        await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();

        var expired = await g.LastCheckoutAsync();
        Assert.Equal((CheckoutState.Expired, (DateTime?)null), (expired.State, expired.NextCheckAt));
        Assert.Equal(("expired", expiredBefore + 1), (SessionOf(checkout).Status, factory.Fakes.State.FintocExpireCalls));
        // Opening it now pays nothing: Fintoc's page no longer takes it.
        await FintocFake.PayAsync(factory.Fakes.State, checkout.GatewayReference!);
        Assert.Null(SessionOf(checkout).IntentStatus);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await scope.Db.Payments.Where(p => p.CheckoutId == checkout.Id).ToListAsync());
        Assert.Empty(await scope.Db.DocumentPaymentLocks.Where(l => l.CheckoutId == checkout.Id).ToListAsync());
    }

    [Fact]
    public async Task A_payer_still_in_the_Fintoc_session_at_our_deadline_frees_the_documents_and_a_later_payment_is_still_booked()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        await g.StartAsync([g.Portal.DocumentIds[0]]);   // Fintoc's page is open: in_progress, which Fintoc will not expire
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal("in_progress", SessionOf(checkout).Status);
        var state = factory.Fakes.State;
        var janitor = factory.Services.GetRequiredService<CheckoutJanitor>();
        state.DeliverWebhooks = false;   // every webhook is lost: only reconciliation can find the payment
        try
        {
            factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace + TimeSpan.FromMinutes(1));
            await janitor.RunAsync();
            var expired = await g.LastCheckoutAsync();
            Assert.Equal(CheckoutState.Expired, expired.State);
            Assert.NotNull(expired.NextCheckAt);   // still asked about
            await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
            {
                Assert.Empty(await scope.Db.DocumentPaymentLocks.Where(l => l.CheckoutId == checkout.Id).ToListAsync());
            }

            await FintocFake.PayAsync(state, checkout.GatewayReference!);   // the payer finishes, late
            factory.Clock.Advance(TimeSpan.FromDays(1));
            await janitor.RunAsync();
            await janitor.RunAsync();   // a second pass changes nothing
        }
        finally
        {
            state.DeliverWebhooks = true;
        }
        var paid = await g.LastCheckoutAsync();
        Assert.Equal((CheckoutState.Succeeded, (DateTime?)null), (paid.State, paid.NextCheckAt));
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(11_900L, (await check.Db.Payments.SingleAsync(p => p.CheckoutId == checkout.Id)).Amount);
    }

    [Fact]
    public async Task A_payer_who_finishes_in_Fintoc_after_our_deadline_and_comes_back_has_the_payment_booked_by_the_return()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        var (browser, fintoc) = await g.StartAsync([g.Portal.DocumentIds[1]]);
        factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace + TimeSpan.FromMinutes(1));
        await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();
        Assert.Equal(CheckoutState.Expired, (await g.LastCheckoutAsync()).State);

        var state = factory.Fakes.State;
        state.DeliverWebhooks = false;   // the return alone must tell
        try
        {
            // 46 minutes later the portal session has lapsed (15 idle): the payer identifies again, the payment is booked.
            var result = await browser.SubmitAsync(fintoc, "button[value=personal]");
            Assert.Contains("Identifícate para ver tus documentos", result.Text);
        }
        finally
        {
            state.DeliverWebhooks = true;
        }
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Succeeded, checkout.State);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Single(await scope.Db.Payments.Where(p => p.CheckoutId == checkout.Id).ToListAsync());
    }

    [Fact]
    public async Task A_rejected_payment_an_abandoned_session_and_an_expired_one_record_nothing()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        var (browser, fintoc) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var rejected = await browser.SubmitAsync(fintoc, "button[value=rejected]");
        Assert.Contains("El banco rechazó el pago en Fintoc", rejected.Text);
        Assert.Equal(CheckoutState.Failed, (await g.LastCheckoutAsync()).State);

        var (browser2, again) = await g.StartAsync([g.Portal.DocumentIds[1]]);
        var back = await browser2.SubmitAsync(again, "button[value=back]");
        Assert.Contains("Volviste de Fintoc sin pagar", back.Text);
        Assert.Equal(CheckoutState.Cancelled, (await g.LastCheckoutAsync()).State);

        await g.StartAsync([g.Portal.DocumentIds[2]]);
        await FintocFake.ExpireAsync(factory.Fakes.State, (await g.LastCheckoutAsync()).GatewayReference!);
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Expired, (await g.LastCheckoutAsync()).State);

        factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace + TimeSpan.FromMinutes(1));
        await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await check.Db.Payments.ToListAsync());
        Assert.Empty(await check.Db.DocumentPaymentLocks.ToListAsync());
    }

    [Fact]
    public async Task Unsigned_forged_or_stale_webhooks_get_401_a_signed_unreadable_one_400_and_a_retry_is_stored_once()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var state = factory.Fakes.State;
        state.DeliverWebhooks = false;
        RecordedWebhook genuine;
        try
        {
            await FintocFake.PayAsync(state, (await g.LastCheckoutAsync()).GatewayReference!);
            genuine = state.Webhooks.Last();
        }
        finally
        {
            state.DeliverWebhooks = true;
        }
        Assert.Contains("checkout_session.finished", genuine.Body);
        using var http = factory.CreateClient();
        async Task<System.Net.HttpStatusCode> PostAsync(RecordedWebhook webhook) => (await http.SendAsync(webhook.ToRequest())).StatusCode;
        RecordedWebhook Signed(string body, string secret, DateTimeOffset at) =>
            genuine with { Body = body, Headers = new Dictionary<string, string> { ["Fintoc-Signature"] = FintocFake.SignatureHeader(secret, at, body) } };
        int before;
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            before = await scope.Db.InboxEvents.CountAsync();
        }
        var now = factory.Clock.GetUtcNow();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(genuine with { Headers = new Dictionary<string, string>() }));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(Signed(genuine.Body, "whsec_someoneElsesSecret", now)));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(Signed(genuine.Body, FakeAccounts.FintocWebhookSecret, now.AddMinutes(-6))));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(genuine with { Body = genuine.Body.Replace("finished", "expired") }));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, await PostAsync(Signed("{not json", FakeAccounts.FintocWebhookSecret, now)));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, await PostAsync(Signed("{\"data\":{}}", FakeAccounts.FintocWebhookSecret, now)));
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(genuine));
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(genuine));
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(before + 1, await check.Db.InboxEvents.CountAsync());
        await Inbox.RunOnceAsync();
        Assert.Single(await check.Db.Payments.ToListAsync());
    }

    [Fact]
    public async Task A_session_read_that_times_out_is_Unknown_then_reconciled_exactly_once()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        var (browser, fintoc) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        factory.Fakes.State.DeliverWebhooks = false;
        factory.Fakes.State.Faults.Add("fintoc.session", new Fault(FaultKind.MalformedJson));
        try
        {
            var result = await browser.SubmitAsync(fintoc, "button[value=personal]");
            Assert.Contains("Tu pago aún no se confirma", result.Text);
        }
        finally
        {
            factory.Fakes.State.DeliverWebhooks = true;
        }
        Assert.Equal(CheckoutState.Unknown, (await g.LastCheckoutAsync()).State);
        var janitor = factory.Services.GetRequiredService<CheckoutJanitor>();
        factory.Fakes.State.Faults.Add("fintoc.session", new Fault(FaultKind.Timeout));
        factory.Clock.Advance(Backoff.CheckoutStatus.Initial);
        await Task.WhenAll(janitor.RunAsync(), janitor.RunAsync(), janitor.RunAsync());
        factory.Clock.Advance(TimeSpan.FromDays(2));
        await janitor.RunAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Single(await check.Db.Payments.ToListAsync());
    }

    [Fact]
    public async Task Reembolsar_refunds_part_of_the_payment_intent_with_an_idempotency_key()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        var (browser, fintoc) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        await browser.SubmitAsync(fintoc, "button[value=personal]");
        var page = await g.RefundAsync(await g.LastPaymentIdAsync(), 1_900);
        Assert.True(page.Text.Contains("Reembolsamos $1.900"), System.Text.RegularExpressions.Regex.Replace(page.Document.QuerySelector("main")?.TextContent ?? "", @"\s+", " "));
        Assert.Equal(1_900, SessionOf(await g.LastCheckoutAsync()).Refunded);
        Assert.Contains(factory.Fakes.State.FintocIdempotency.Keys, k => k.Contains("|abono-refund-", StringComparison.Ordinal));
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(1_900, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
    }

    [Fact]
    public async Task Probar_conexion_tells_a_refused_key_from_Fintoc_being_down()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Fintoc);
        var client = g.Portal.Merchant.Client;
        async Task<AppClient.Page> TestAsync() =>
            await client.SubmitAsync(await client.GetAsync("/configuracion/medios-de-pago"), new Dictionary<string, string?>(), button: $"form[action*='handler=Test'][action*='id={g.MethodId}&'] button");

        var ok = await TestAsync();
        Assert.Contains("Fintoc respondió y aceptó la secret key", ok.Text);
        Assert.Contains($"/webhooks/fintoc/m{g.MethodId}", ok.Text);   // the endpoint to register in Fintoc's dashboard
        factory.Fakes.State.Faults.Add("fintoc.intents", new Fault(FaultKind.ServerError));
        Assert.Contains("No se pudo conectar con Fintoc", (await TestAsync()).Text);
        var account = factory.Fakes.State.FintocAccounts[FakeAccounts.FintocSecretKey];
        factory.Fakes.State.FintocAccounts.Remove(FakeAccounts.FintocSecretKey);
        try
        {
            Assert.Contains("Fintoc rechazó la secret key", (await TestAsync()).Text);
        }
        finally
        {
            factory.Fakes.State.FintocAccounts[FakeAccounts.FintocSecretKey] = account;
        }
    }
}
