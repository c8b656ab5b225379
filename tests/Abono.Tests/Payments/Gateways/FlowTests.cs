using Abono.Web.Platform.Jobs;
using Abono.FakeGateways;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Gateways;

namespace Abono.Tests.Payments.Gateways;

/// <summary>Flow API v1 against the fake: signed calls; the unsigned confirmation is a hint settled by payment/getStatus.</summary>
public class FlowTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private InboxProcessor Inbox => factory.Services.GetRequiredService<InboxProcessor>();

    private FlowOrder OrderOf(Checkout checkout) => factory.Fakes.State.FlowOrders[checkout.GatewayReference!];

    private async Task<int> InboxCountAsync(GatewayScenario g)
    {
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        return await scope.Db.InboxEvents.CountAsync();
    }

    [Fact]
    public async Task A_payer_pays_at_Flow_and_the_confirmation_and_the_return_record_one_payment()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Flow);
        var (browser, flow) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        Assert.Contains("Flow", flow.Text);
        Assert.Contains("11.900", flow.Text);
        var checkout = await g.LastCheckoutAsync();
        var order = OrderOf(checkout);
        Assert.Equal((checkout.Id.ToString(), 11_900L, "CLP", PortalScenario.CustomerEmail), (order.CommerceOrder, order.Amount, order.Currency, order.Email));
        Assert.EndsWith($"/webhooks/flow/m{g.MethodId}", order.UrlConfirmation);

        var result = await browser.SubmitAsync(flow, "button[value=pay]");
        Assert.Contains("¡Pago realizado!", result.Text);
        await Inbox.RunOnceAsync();
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var payment = await scope.Db.Payments.SingleAsync();
        Assert.Equal((GatewayKind.Flow, 11_900L), (payment.Method, payment.Amount));
        var hint = await scope.Db.InboxEvents.SingleAsync(e => e.CheckoutId == checkout.Id);
        Assert.Equal("duplicate", hint.Outcome);
        Assert.StartsWith("hint:", hint.EventId);
    }

    [Fact]
    public async Task The_confirmation_alone_records_the_payment_and_is_answered_200_even_while_Flow_cannot_be_asked()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Flow);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        factory.Fakes.State.Faults.Add("flow.status", new Fault(FaultKind.ServerError));
        var before = factory.Fakes.State.Webhooks.Count;
        await FlowFake.DecideAsync(factory.Fakes.State, (await g.LastCheckoutAsync()).GatewayReference!);
        // The receiver stored the token without asking Flow (which is failing): the 200 does not wait on Flow.
        using (var http = factory.CreateClient())
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(factory.Fakes.State.Webhooks[before].ToRequest())).StatusCode);
        }
        await Inbox.RunOnceAsync();   // getStatus answers 500: retried later
        Assert.Equal(CheckoutState.Pending, (await g.LastCheckoutAsync()).State);
        factory.Clock.Advance(TimeSpan.FromSeconds(11));
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        Assert.Equal(2, await g.EmailsContainingAsync("Comprobante de pago"));
    }

    [Fact]
    public async Task A_rejected_payment_and_an_annulled_order_record_nothing()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Flow);
        var (browser, flow) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var rejected = await browser.SubmitAsync(flow, "button[value=reject]");
        Assert.Contains("Flow rechazó el pago", rejected.Text);
        Assert.Equal(CheckoutState.Failed, (await g.LastCheckoutAsync()).State);

        var (browser2, again) = await g.StartAsync([g.Portal.DocumentIds[1]]);
        var back = await browser2.SubmitAsync(again, "button[value=back]");
        Assert.Contains("El pago fue anulado en Flow", back.Text);
        Assert.Equal(CheckoutState.Cancelled, (await g.LastCheckoutAsync()).State);
        factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace + TimeSpan.FromMinutes(1));
        await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await check.Db.Payments.ToListAsync());
        Assert.Empty(await check.Db.DocumentPaymentLocks.ToListAsync());
    }

    [Fact]
    public async Task A_forged_confirmation_is_only_a_hint_and_believes_nothing_it_says()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Flow);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        using var http = factory.CreateClient();
        async Task<System.Net.HttpStatusCode> PostAsync(string body, string path = "")
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
            return (await http.PostAsync($"/webhooks/flow/m{g.MethodId}{path}", content)).StatusCode;
        }
        var before = await InboxCountAsync(g);
        // Not a Flow confirmation at all.
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, await PostAsync("hello=1"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, await PostAsync("token=<script>"));
        // The genuine token of an unpaid order, a made-up token, a "status=2" the body claims: each only makes us ask.
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync("token=" + checkout.GatewayReference + "&status=2&amount=11900"));
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync("token=" + checkout.GatewayReference));   // repeated: one hint per window
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync("token=ABCDEF0123456789ABCDEF0123456789ABCDEF01"));
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync("token=REFUNDTOKEN", "?tipo=reembolso"));   // a refund callback: acknowledged
        Assert.Equal(before + 2, await InboxCountAsync(g));
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Pending, (await g.LastCheckoutAsync()).State);
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await check.Db.Payments.ToListAsync());
    }

    [Fact]
    public async Task A_status_read_that_times_out_is_Unknown_then_reconciled_exactly_once()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Flow);
        var (browser, flow) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        factory.Fakes.State.DeliverWebhooks = false;
        factory.Fakes.State.Faults.Add("flow.status", new Fault(FaultKind.Timeout));
        try
        {
            var result = await browser.SubmitAsync(flow, "button[value=pay]");
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
    }

    [Fact]
    public async Task Flow_down_or_answering_garbage_at_start_never_charges()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Flow);
        factory.Fakes.State.Faults.Add("flow.create", new Fault(FaultKind.Timeout, AfterEffect: true));
        var (browser, page) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        Assert.Contains("No pudimos comunicarnos con la pasarela de pago", page.Text);
        Assert.Equal(CheckoutState.Unknown, (await g.LastCheckoutAsync()).State);
        factory.Fakes.State.Faults.Add("flow.create", new Fault(FaultKind.MalformedJson));
        var (_, garbled) = await g.StartAsync([g.Portal.DocumentIds[1]], browser);
        Assert.Contains("No pudimos comunicarnos con la pasarela de pago", garbled.Text);
        Assert.Equal(CheckoutState.Unknown, (await g.LastCheckoutAsync()).State);
    }

    [Fact]
    public async Task Reembolsar_creates_a_signed_refund_order_for_the_payer_and_its_callback_is_acknowledged()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Flow);
        var (browser, flow) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        await browser.SubmitAsync(flow, "button[value=pay]");
        var before = await InboxCountAsync(g);
        var page = await g.RefundAsync(await g.LastPaymentIdAsync(), 1_900);
        Assert.Contains("Reembolsamos $1.900", page.Text);
        var order = OrderOf(await g.LastCheckoutAsync());
        Assert.Equal(1_900, order.Refunded);
        Assert.Single(order.RefundOrders, r => r.StartsWith("abono-refund-", StringComparison.Ordinal));
        Assert.Contains(factory.Fakes.State.Webhooks, w => w.Url.Query.Contains("tipo=reembolso"));
        Assert.Equal(before, await InboxCountAsync(g));   // the refund's callback was answered and stored nothing
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(1_900, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
    }

    [Fact]
    public async Task Probar_conexion_tells_refused_credentials_from_Flow_being_down()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Flow);
        var client = g.Portal.Merchant.Client;
        async Task<string> TestAsync() =>
            (await client.SubmitAsync(await client.GetAsync("/configuracion/medios-de-pago"), new Dictionary<string, string?>(), button: $"form[action*='handler=Test'][action*='id={g.MethodId}&'] button")).Text;

        Assert.Contains("Flow respondió y aceptó las credenciales", await TestAsync());
        factory.Fakes.State.Faults.Add("flow.statusByCommerceId", new Fault(FaultKind.Timeout));
        Assert.Contains("No se pudo conectar con Flow", await TestAsync());
        factory.Fakes.State.FlowAccounts[FakeAccounts.FlowApiKey] = "anotherSecretKeyThanOurs000000000000";   // our s no longer verifies
        try
        {
            Assert.Contains("Flow rechazó las credenciales", await TestAsync());
        }
        finally
        {
            factory.Fakes.State.FlowAccounts[FakeAccounts.FlowApiKey] = FakeAccounts.FlowSecretKey;
        }
    }
}
