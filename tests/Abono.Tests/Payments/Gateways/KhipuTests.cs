using Abono.Web.Platform.Jobs;
using Abono.FakeGateways;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Gateways;

namespace Abono.Tests.Payments.Gateways;

/// <summary>Khipu API v3 against the fake: return is a hint, GET /v3/payments/{id} and signed notifications decide.</summary>
public class KhipuTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private InboxProcessor Inbox => factory.Services.GetRequiredService<InboxProcessor>();

    private KhipuPayment PaymentOf(Checkout checkout) => factory.Fakes.State.KhipuPayments[checkout.GatewayReference!];

    [Fact]
    public async Task A_payer_pays_at_Khipu_fixed_to_the_customers_RUT_and_one_payment_is_recorded()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Khipu);
        var (browser, khipu) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        Assert.Contains("Khipu", khipu.Text);
        Assert.Contains("11.900", khipu.Text);
        var checkout = await g.LastCheckoutAsync();
        var payment = PaymentOf(checkout);
        Assert.Equal((11_900L, "CLP", checkout.Id.ToString(), g.Portal.CustomerRut), (payment.Amount, payment.Currency, payment.TransactionId, payment.FixedPayer));
        Assert.EndsWith($"/webhooks/khipu/m{g.MethodId}", payment.NotifyUrl);

        var result = await browser.SubmitAsync(khipu, "button[value=pay]");
        Assert.Contains("¡Pago realizado!", result.Text);
        await Inbox.RunOnceAsync();   // the notification (stored on arrival) finds it already applied
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var recorded = await scope.Db.Payments.SingleAsync();
        Assert.Equal((GatewayKind.Khipu, 11_900L), (recorded.Method, recorded.Amount));
        Assert.Equal("duplicate", (await scope.Db.InboxEvents.SingleAsync(e => e.CheckoutId == checkout.Id)).Outcome);
    }

    [Fact]
    public async Task A_payer_who_pays_and_never_comes_back_is_recorded_by_the_notification_alone()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Khipu);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        await KhipuFake.DecideAsync(factory.Fakes.State, (await g.LastCheckoutAsync()).GatewayReference!);
        Assert.Equal(CheckoutState.Pending, (await g.LastCheckoutAsync()).State);
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        Assert.Equal(2, await g.EmailsContainingAsync("Comprobante de pago"));
    }

    [Fact]
    public async Task A_rejected_payment_and_a_payer_who_goes_back_without_paying_record_nothing()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Khipu);
        var (browser, khipu) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var rejected = await browser.SubmitAsync(khipu, "button[value=reject]");
        Assert.Contains("Rechazaste el pago en Khipu", rejected.Text);
        Assert.Equal(CheckoutState.Failed, (await g.LastCheckoutAsync()).State);

        var (browser2, again) = await g.StartAsync([g.Portal.DocumentIds[1]]);
        var back = await browser2.SubmitAsync(again, "button[value=back]");
        Assert.Contains("Volviste de Khipu sin pagar", back.Text);
        Assert.Equal(CheckoutState.Cancelled, (await g.LastCheckoutAsync()).State);

        factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace + TimeSpan.FromMinutes(1));
        await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await check.Db.Payments.ToListAsync());
        Assert.Empty(await check.Db.DocumentPaymentLocks.ToListAsync());
    }

    [Fact]
    public async Task A_notification_that_got_no_200_is_retried_by_Khipu_for_two_days_and_then_no_more()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Khipu);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var state = factory.Fakes.State;
        var reference = (await g.LastCheckoutAsync()).GatewayReference!;
        state.DeliverWebhooks = false;   // our endpoint is unreachable for a while
        try
        {
            await KhipuFake.DecideAsync(state, reference);
            factory.Clock.Advance(TimeSpan.FromHours(1));
            await KhipuFake.RetryNotificationsAsync(state);
        }
        finally
        {
            state.DeliverWebhooks = true;
        }
        var notification = state.KhipuNotifications.Single(n => n.Payment.Id == reference);
        Assert.Equal((2, false), (notification.Attempts, notification.Delivered));

        // Back up: the next retry (signed anew, so within the signature's tolerance) is stored and settles the payment.
        factory.Clock.Advance(TimeSpan.FromHours(20));
        await KhipuFake.RetryNotificationsAsync(state);
        Assert.True(notification.Delivered);
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        await KhipuFake.RetryNotificationsAsync(state);
        Assert.Equal(3, notification.Attempts);   // answered 200: Khipu stops

        // One never answered stops after two days.
        var second = new KhipuNotification { Payment = notification.Payment, Body = notification.Body, FirstAttempt = factory.Clock.GetUtcNow().AddDays(-2).AddMinutes(-1) };
        lock (state.Gate)
        {
            state.KhipuNotifications.Add(second);
        }
        await KhipuFake.RetryNotificationsAsync(state);
        Assert.Equal(0, second.Attempts);
    }

    [Fact]
    public async Task A_status_read_that_times_out_is_Unknown_then_reconciled_exactly_once()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Khipu);
        var (browser, khipu) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        factory.Fakes.State.DeliverWebhooks = false;
        factory.Fakes.State.Faults.Add("khipu.payment", new Fault(FaultKind.Timeout));
        try
        {
            var result = await browser.SubmitAsync(khipu, "button[value=pay]");
            Assert.Contains("Tu pago aún no se confirma", result.Text);
        }
        finally
        {
            factory.Fakes.State.DeliverWebhooks = true;
        }
        Assert.Equal(CheckoutState.Unknown, (await g.LastCheckoutAsync()).State);
        var janitor = factory.Services.GetRequiredService<CheckoutJanitor>();
        factory.Clock.Advance(Backoff.CheckoutStatus.Initial);
        await Task.WhenAll(janitor.RunAsync(), janitor.RunAsync(), janitor.RunAsync());
        factory.Clock.Advance(TimeSpan.FromDays(2));
        await janitor.RunAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Single(await check.Db.Payments.ToListAsync());
        Assert.Equal(2, await g.EmailsContainingAsync("Comprobante de pago"));
    }

    [Fact]
    public async Task Khipu_down_garbage_or_refusing_at_start_never_charges_and_says_so()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Khipu);
        factory.Fakes.State.Faults.Add("khipu.create", new Fault(FaultKind.ServerError));
        var (browser, page) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        Assert.Contains("No pudimos comunicarnos con la pasarela de pago", page.Text);
        Assert.Equal(CheckoutState.Unknown, (await g.LastCheckoutAsync()).State);

        // Khipu registered the payment but its answer was lost: Unknown, never Failed.
        factory.Fakes.State.Faults.Add("khipu.create", new Fault(FaultKind.MalformedJson, AfterEffect: true));
        var (_, garbled) = await g.StartAsync([g.Portal.DocumentIds[1]], browser);
        Assert.Contains("No pudimos comunicarnos con la pasarela de pago", garbled.Text);
        Assert.Equal(CheckoutState.Unknown, (await g.LastCheckoutAsync()).State);

        // A clear 401: Khipu refused our key, so nothing exists there — Failed, with the reason.
        factory.Fakes.State.KhipuAccounts.Remove(FakeAccounts.KhipuApiKey);
        try
        {
            var (_, refused) = await g.StartAsync([g.Portal.DocumentIds[2]], browser);
            Assert.Contains("Khipu rechazó la llave de la API", refused.Text);
            Assert.Equal(CheckoutState.Failed, (await g.LastCheckoutAsync()).State);
        }
        finally
        {
            factory.Fakes.State.KhipuAccounts[FakeAccounts.KhipuApiKey] = FakeAccounts.KhipuNotificationSecret;
        }
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await check.Db.Payments.ToListAsync());
    }

    [Fact]
    public async Task Unsigned_forged_stale_or_tampered_notifications_get_401_and_a_signed_unreadable_one_400()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Khipu);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var state = factory.Fakes.State;
        state.DeliverWebhooks = false;
        RecordedWebhook genuine;
        try
        {
            await KhipuFake.DecideAsync(state, (await g.LastCheckoutAsync()).GatewayReference!);
            genuine = state.Webhooks.Last();
        }
        finally
        {
            state.DeliverWebhooks = true;
        }
        using var http = factory.CreateClient();
        async Task<System.Net.HttpStatusCode> PostAsync(RecordedWebhook webhook) => (await http.SendAsync(webhook.ToRequest())).StatusCode;
        int before;
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            before = await scope.Db.InboxEvents.CountAsync();
        }
        RecordedWebhook Signed(string body, string secret, DateTimeOffset at) =>
            genuine with { Body = body, Headers = new Dictionary<string, string> { ["x-khipu-signature"] = KhipuFake.SignatureHeader(secret, at, body) } };

        var now = factory.Clock.GetUtcNow();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(genuine with { Headers = new Dictionary<string, string>() }));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(Signed(genuine.Body, "someoneElsesSecret123", now)));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(Signed(genuine.Body, FakeAccounts.KhipuNotificationSecret, now.AddMinutes(-6))));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(genuine with { Body = genuine.Body.Replace("\"amount\":11900", "\"amount\":1") }));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, await PostAsync(Signed("{not json", FakeAccounts.KhipuNotificationSecret, now)));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, await PostAsync(Signed("{\"status\":\"done\"}", FakeAccounts.KhipuNotificationSecret, now)));
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            Assert.Equal(before, await scope.Db.InboxEvents.CountAsync());
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(genuine));
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(genuine));   // Khipu's retry: 2xx, stored once
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(before + 1, await check.Db.InboxEvents.CountAsync());
        await Inbox.RunOnceAsync();
        Assert.Single(await check.Db.Payments.ToListAsync());
    }

    [Fact]
    public async Task Reembolsar_refunds_before_the_payout_and_is_refused_with_a_reason_after_it()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Khipu);
        var (browser, khipu) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        await browser.SubmitAsync(khipu, "button[value=pay]");
        var page = await g.RefundAsync(await g.LastPaymentIdAsync(), 1_900);
        Assert.Contains("Reembolsamos $1.900", page.Text);
        var payment = PaymentOf(await g.LastCheckoutAsync());
        Assert.Equal(1_900, payment.Refunded);

        payment.PaidOut = true;   // Khipu has transferred the money to the business
        var refused = await g.RefundAsync(await g.LastPaymentIdAsync(), 1_000);
        Assert.Contains("antes de que Khipu te transfiera el pago", refused.Text);
        Assert.Equal(1_900, payment.Refunded);
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(1_900, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
    }

    [Fact]
    public async Task Probar_conexion_tells_a_refused_key_from_Khipu_being_down()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Khipu);
        var client = g.Portal.Merchant.Client;
        async Task<string> TestAsync() =>
            (await client.SubmitAsync(await client.GetAsync("/configuracion/medios-de-pago"), new Dictionary<string, string?>(), button: $"form[action*='handler=Test'][action*='id={g.MethodId}&'] button")).Text;

        Assert.Contains("Khipu respondió y aceptó la llave de la API", await TestAsync());
        factory.Fakes.State.Faults.Add("khipu.banks", new Fault(FaultKind.ServerError));
        Assert.Contains("No se pudo conectar con Khipu", await TestAsync());
        factory.Fakes.State.KhipuAccounts.Remove(FakeAccounts.KhipuApiKey);
        try
        {
            Assert.Contains("Khipu rechazó la llave de la API", await TestAsync());
        }
        finally
        {
            factory.Fakes.State.KhipuAccounts[FakeAccounts.KhipuApiKey] = FakeAccounts.KhipuNotificationSecret;
        }
    }
}
