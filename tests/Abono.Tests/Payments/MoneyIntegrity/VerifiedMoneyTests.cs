using Abono.Web.Platform.Jobs;
using System.Net;
using Abono.FakeGateways;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Gateways;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Abono.Tests.Payments.MoneyIntegrity;

/// <summary>
/// Found when Abono was tried from outside (issue 12): only a verified provider answer moves money, and every
/// verified approval is booked exactly once whatever the checkout's state.
/// </summary>
public class VerifiedMoneyTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private InboxProcessor Inbox => factory.Services.GetRequiredService<InboxProcessor>();

    [Fact]
    public async Task A_return_with_a_forged_Host_pointing_at_a_listener_that_says_approved_marks_nothing_paid()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var payer = await s.IdentifiedPayerAsync();
        await s.PayAsync(payer, decision: "none");   // at the Pasarela de prueba, nothing decided
        Checkout checkout;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            checkout = await scope.Db.Checkouts.SingleAsync(c => c.Purpose == CheckoutPurpose.DocumentPayment);
        }

        // An attacker's server that answers "approved" for any payment it is asked about.
        var asked = 0;
        var liar = WebApplication.CreateSlimBuilder();
        liar.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = liar.Build();
        app.Run(async context =>
        {
            Interlocked.Increment(ref asked);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"id":"{{checkout.GatewayReference}}","orderReference":"{{checkout.Id}}","status":"approved","amount":{{checkout.Amount}},"currency":"CLP"}""");
        });
        await app.StartAsync();
        var liarAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var forged = new HttpRequestMessage(HttpMethod.Get, $"/pagos/retorno/{checkout.Id}");
        forged.Headers.Host = liarAddress.Authority;
        forged.Headers.Add("X-Forwarded-Host", liarAddress.Authority);
        await payer.Http.SendAsync(forged);

        Assert.Equal(0, asked);
        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Equal(CheckoutState.Pending, (await check.Db.Checkouts.SingleAsync(c => c.Id == checkout.Id)).State);
        Assert.Empty(await check.Db.Payments.ToListAsync());
        Assert.Equal(11_900, (await check.Db.Documents.SingleAsync()).Balance);
    }

    [Fact]
    public async Task Return_and_notification_URLs_handed_to_the_provider_come_from_App_BaseUrl_not_the_Host_header()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        var payer = await g.Portal.IdentifiedPayerAsync();
        payer.Http.DefaultRequestHeaders.Host = "pagos.atacante.example";
        await g.Portal.PostPaymentAsync(payer, [g.Portal.DocumentIds[0]], methodId: g.MethodId);

        var checkout = await g.LastCheckoutAsync();
        var preference = factory.Fakes.State.Preferences.Values.Single(p => p.ExternalReference == checkout.Id.ToString());
        Assert.Equal($"http://localhost/pagos/retorno/{checkout.Id}", (string?)preference.BackUrls["success"]);
        Assert.StartsWith("http://localhost/webhooks/mercadopago/", preference.NotificationUrl);
    }

    [Fact]
    public async Task A_card_rejected_in_Checkout_Pro_and_another_card_approved_in_the_same_preference_is_recorded_once()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        var (browser, checkoutPro) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var rejected = await browser.SubmitAsync(checkoutPro, "button[value=rejected]");
        Assert.Contains("Mercado Pago rechazó el pago", rejected.Text);
        await Inbox.RunOnceAsync();
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Failed, checkout.State);

        // Still in Checkout Pro, the payer tries another card: the provider now holds the money.
        await MercadoPagoFake.PayAsync(factory.Fakes.State, Preference(checkout));
        await Inbox.RunOnceAsync();
        await Inbox.RunOnceAsync();

        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var payment = await scope.Db.Payments.Include(p => p.Allocations).SingleAsync();
        Assert.Equal((11_900L, 0L), (payment.Amount, payment.CreditAmount));
        Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
        Assert.Empty(await scope.Db.DocumentPaymentLocks.ToListAsync());
    }

    [Fact]
    public async Task An_approval_after_a_rejection_is_found_by_reconciliation_when_no_notification_ever_comes()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        factory.Fakes.State.MercadoPagoSilentAccounts.Add(FakeAccounts.MercadoPagoAccessToken);   // test credentials: no notifications
        try
        {
            var (browser, checkoutPro) = await g.StartAsync([g.Portal.DocumentIds[0]]);
            await browser.SubmitAsync(checkoutPro, "button[value=rejected]");
            var checkout = await g.LastCheckoutAsync();
            Assert.Equal(CheckoutState.Failed, checkout.State);
            await MercadoPagoFake.PayAsync(factory.Fakes.State, Preference(checkout));

            factory.Clock.Advance(Backoff.CheckoutStatus.Initial + TimeSpan.FromSeconds(1));
            await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();

            Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
            await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
            Assert.Single(await scope.Db.Payments.ToListAsync());
        }
        finally
        {
            factory.Fakes.State.MercadoPagoSilentAccounts.Clear();
        }
    }

    [Fact]
    public async Task A_second_approval_of_a_paid_checkout_is_booked_as_saldo_a_favor_and_shown_in_En_revision()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        var (browser, checkoutPro) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        await browser.SubmitAsync(checkoutPro, "button[value=approved]");
        var checkout = await g.LastCheckoutAsync();
        await MercadoPagoFake.PayAsync(factory.Fakes.State, Preference(checkout));   // paid twice in the same preference
        await Inbox.RunOnceAsync();
        await Inbox.RunOnceAsync();

        long secondId;
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            var payments = await scope.Db.Payments.Include(p => p.Allocations).OrderBy(p => p.Id).ToListAsync();
            Assert.Equal(2, payments.Count);
            Assert.Equal((11_900L, 0L, false), (payments[0].Allocations.Sum(a => a.Amount), payments[0].CreditAmount, payments[0].RefundPending));
            Assert.Equal((0L, 11_900L, true), (payments[1].Allocations.Sum(a => a.Amount), payments[1].CreditAmount, payments[1].RefundPending));
            Assert.Equal(2, await scope.Db.CheckoutApprovals.CountAsync(a => a.CheckoutId == checkout.Id));
            secondId = payments[1].Id;
        }

        var review = await g.Portal.Merchant.Client.GetAsync("/reportes/pagos/en-revision");
        Assert.NotNull(review.Document.QuerySelector($"[data-testid=credit-{secondId}]"));
        var kept = await g.Portal.Merchant.Client.SubmitAsync(review, new Dictionary<string, string?>(), form: $"[data-testid=credit-{secondId}] form");
        Assert.Contains("queda como saldo a favor", kept.Text);
        Assert.Null(kept.Document.QuerySelector($"[data-testid=credit-{secondId}]"));
    }

    [Fact]
    public async Task Documents_stay_locked_for_as_long_as_their_checkout_can_still_be_paid()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        factory.Clock.Advance(TimeSpan.FromMinutes(20));   // past the old 15-minute lock, within the preference's 30 minutes

        var again = await g.Portal.PostPaymentAsync(await g.Portal.IdentifiedPayerAsync(), [g.Portal.DocumentIds[0]], methodId: g.MethodId);
        var page = await AppClient.Page.ReadAsync(again, $"/portal/{g.Portal.Code}/documentos");
        Assert.Contains("pago en proceso", page.Text);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(1, await scope.Db.Checkouts.CountAsync(c => c.Purpose == CheckoutPurpose.DocumentPayment));
    }

    [Fact]
    public async Task Unsigned_Mercado_Pago_notifications_are_hints_read_at_the_API_deduplicated_and_capped()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        factory.Fakes.State.MercadoPagoUnsignedAccounts.Add(FakeAccounts.MercadoPagoAccessToken);   // no webhook secret in MP's panel
        try
        {
            await g.StartAsync([g.Portal.DocumentIds[0]]);
            var checkout = await g.LastCheckoutAsync();
            await MercadoPagoFake.PayAsync(factory.Fakes.State, Preference(checkout));   // approved; its notification is unsigned
            var unsigned = factory.Fakes.State.Webhooks.Last();
            Assert.False(unsigned.Headers.ContainsKey("x-signature"));

            using var http = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(unsigned.ToRequest())).StatusCode);   // a retry of it: same hint
            await Inbox.RunOnceAsync();
            Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);

            // A forged body that claims approval for a payment the API calls rejected changes nothing.
            await g.StartAsync([g.Portal.DocumentIds[1]]);
            var rejectedCheckout = await g.LastCheckoutAsync();
            var rejected = await MercadoPagoFake.PayAsync(factory.Fakes.State, Preference(rejectedCheckout), approved: false);
            var lie = new RecordedWebhook("mercadopago", new Uri(unsigned.Url.ToString().Split('?')[0] + $"?data.id={rejected.Id}&type=payment"),
                $$"""{"type":"payment","action":"payment.updated","data":{"id":"{{rejected.Id}}"},"status":"approved"}""", new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(lie.ToRequest())).StatusCode);
            await Inbox.RunOnceAsync();
            Assert.NotEqual(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);

            // Floods of hints cannot make us hammer the provider: past the cap per minute, 429 and nothing stored.
            int before, statusTooMany = 0;
            await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
            {
                before = await scope.Db.InboxEvents.CountAsync();
            }
            for (var i = 0; i < WebhookReceiver.HintsPerMinute + 5; i++)
            {
                var flood = lie with { Url = new Uri(unsigned.Url.ToString().Split('?')[0] + $"?data.id={900_000 + i}&type=payment") };
                if ((await http.SendAsync(flood.ToRequest())).StatusCode == HttpStatusCode.TooManyRequests)
                {
                    statusTooMany++;
                }
            }
            Assert.True(statusTooMany >= 5);
            await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
            Assert.True(await check.Db.InboxEvents.CountAsync() - before <= WebhookReceiver.HintsPerMinute);
            Assert.Single(await check.Db.Payments.ToListAsync());
        }
        finally
        {
            factory.Fakes.State.MercadoPagoUnsignedAccounts.Clear();
        }
    }

    private string Preference(Checkout checkout) =>
        factory.Fakes.State.Preferences.Values.Single(p => p.ExternalReference == checkout.Id.ToString()).Id;
}
