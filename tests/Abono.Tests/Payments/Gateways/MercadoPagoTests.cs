using System.Net.Http.Json;
using Abono.FakeGateways;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Gateways;

namespace Abono.Tests.Payments.Gateways;

/// <summary>Mercado Pago Checkout Pro against the fake: return is a hint, payments API and signed webhooks decide.</summary>
public class MercadoPagoTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private InboxProcessor Inbox => factory.Services.GetRequiredService<InboxProcessor>();

    [Fact]
    public async Task A_payer_pays_at_Checkout_Pro_and_the_webhook_and_the_return_record_one_payment()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        var (browser, checkoutPro) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        Assert.Contains("Mercado Pago", checkoutPro.Text);
        Assert.Contains("11.900", checkoutPro.Text);
        var checkoutId = (await g.LastCheckoutAsync()).Id.ToString();
        var preference = factory.Fakes.State.Preferences.Values.Single(p => p.ExternalReference == checkoutId);
        Assert.Equal(11_900, preference.Amount);
        Assert.EndsWith("?source_news=webhooks", preference.NotificationUrl);

        var result = await browser.SubmitAsync(checkoutPro, "button[value=approved]");
        Assert.Contains("¡Pago realizado!", result.Text);
        await Inbox.RunOnceAsync();   // the webhook (stored on arrival) finds it already applied

        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var payment = await scope.Db.Payments.SingleAsync();
        Assert.Equal((GatewayKind.MercadoPago, 11_900L), (payment.Method, payment.Amount));
        Assert.Equal("duplicate", (await scope.Db.InboxEvents.SingleAsync(e => e.CheckoutId == payment.CheckoutId)).Outcome);
    }

    [Fact]
    public async Task A_payer_who_pays_and_never_comes_back_is_recorded_by_the_webhook_alone()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        await MercadoPagoFake.PayAsync(factory.Fakes.State, checkout.GatewayReference!);

        Assert.Equal(CheckoutState.Pending, (await g.LastCheckoutAsync()).State);   // stored, not yet processed
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        Assert.Equal(2, await g.EmailsContainingAsync("Comprobante de pago"));
    }

    [Fact]
    public async Task A_rejected_payment_and_a_payer_who_goes_back_without_paying_record_nothing()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        var (browser, checkoutPro) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var rejected = await browser.SubmitAsync(checkoutPro, "button[value=rejected]");
        Assert.Contains("Mercado Pago rechazó el pago", rejected.Text);
        Assert.Equal(CheckoutState.Failed, (await g.LastCheckoutAsync()).State);

        var (browser2, again) = await g.StartAsync([g.Portal.DocumentIds[1]]);
        var back = await browser2.SubmitAsync(again, "button[value=back]");
        Assert.Contains("Volviste de Mercado Pago sin pagar", back.Text);
        Assert.Equal(CheckoutState.Cancelled, (await g.LastCheckoutAsync()).State);
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            Assert.Empty(await scope.Db.Payments.ToListAsync());
            // Checkout Pro may still take another card in either preference until it expires: both stay locked.
            Assert.Equal(2, await scope.Db.DocumentPaymentLocks.CountAsync());
        }

        // Past Mercado Pago's deadline, reconciliation finds nothing approved and frees the documents.
        factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace + TimeSpan.FromMinutes(1));
        await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await check.Db.Payments.ToListAsync());
        Assert.Empty(await check.Db.DocumentPaymentLocks.ToListAsync());
    }

    [Fact]
    public async Task A_payer_who_left_and_then_paid_after_all_is_still_recorded()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        var (browser, checkoutPro) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        await browser.SubmitAsync(checkoutPro, "button[value=back]");
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Cancelled, checkout.State);

        // Back in the same Checkout Pro tab, the payer pays: the provider holds the money, so it counts.
        await MercadoPagoFake.PayAsync(factory.Fakes.State, checkout.GatewayReference!);
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
    }

    [Fact]
    public async Task Status_API_timeouts_leave_the_webhook_stored_and_retried_until_it_resolves()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        factory.Fakes.State.Faults.Add("mercadopago.payment", new Fault(FaultKind.Timeout));
        factory.Fakes.State.Faults.Add("mercadopago.payment", new Fault(FaultKind.ServerError));
        await MercadoPagoFake.PayAsync(factory.Fakes.State, checkout.GatewayReference!);

        await Inbox.RunOnceAsync();
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            var stored = await scope.Db.InboxEvents.OrderBy(e => e.Id).LastAsync();
            Assert.Null(stored.ProcessedAt);
            Assert.Equal(1, stored.Attempts);
        }
        Assert.Equal(0, await Inbox.RunOnceAsync());   // not due yet (backoff)
        factory.Clock.Advance(TimeSpan.FromSeconds(11));
        await Inbox.RunOnceAsync();                     // 500 this time
        factory.Clock.Advance(TimeSpan.FromSeconds(31));
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
    }

    [Fact]
    public async Task Unsigned_tampered_or_stale_webhooks_are_only_hints_and_a_foreign_key_gets_401()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        factory.Fakes.State.DeliverWebhooks = false;
        try
        {
            await MercadoPagoFake.PayAsync(factory.Fakes.State, (await g.LastCheckoutAsync()).GatewayReference!);
            var genuine = factory.Fakes.State.Webhooks.Last();
            using var http = factory.CreateClient();
            int before;
            await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
            {
                before = await scope.Db.InboxEvents.CountAsync();
            }

            async Task<System.Net.HttpStatusCode> PostAsync(RecordedWebhook webhook) => (await http.SendAsync(webhook.ToRequest())).StatusCode;

            var unsigned = genuine with { Headers = new Dictionary<string, string> { ["x-request-id"] = genuine.Headers["x-request-id"] } };
            var tamperedId = genuine with { Url = new Uri(genuine.Url.ToString().Replace("data.id=", "data.id=9")) };
            var wrongSecret = genuine with { Headers = new Dictionary<string, string>(genuine.Headers) { ["x-signature"] = Resign(genuine, "anotherSecretThatIsNotOurs1") } };
            var stale = genuine with
            {
                Headers = new Dictionary<string, string>(genuine.Headers)
                {
                    ["x-signature"] = Resign(genuine, FakeAccounts.MercadoPagoWebhookSecret, factory.Clock.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds().ToString()),
                },
            };
            var otherRequest = genuine with { Headers = new Dictionary<string, string>(genuine.Headers) { ["x-request-id"] = Guid.NewGuid().ToString() } };
            var unknownMethod = genuine with { Url = new Uri(genuine.Url.ToString().Replace("/mercadopago/m", "/mercadopago/m999")) };
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(unknownMethod));
            // Whatever their signature, the others only say "read payment N at Mercado Pago": stored as hints, one per
            // payment id and window (the four that keep the genuine data.id are one hint; the tampered id another).
            foreach (var forged in new[] { unsigned, tamperedId, wrongSecret, otherRequest, stale })
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(forged));
            }
            await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
            {
                var hints = await scope.Db.InboxEvents.OrderBy(e => e.Id).Skip(before).ToListAsync();
                Assert.Equal(2, hints.Count);
                Assert.All(hints, h => Assert.StartsWith("hint:", h.EventId));
            }
            Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(genuine));
            Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(genuine));   // a retry: 2xx, stored once
            await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
            Assert.Equal(before + 3, await check.Db.InboxEvents.CountAsync());

            // Processed, the hints read the API: the payment (really approved) is recorded once; the tampered id names nothing.
            await Inbox.RunOnceAsync();
            Assert.Single(await check.Db.Payments.ToListAsync());
        }
        finally
        {
            factory.Fakes.State.DeliverWebhooks = true;
        }
    }

    private static string Resign(RecordedWebhook webhook, string secret, string? ts = null)
    {
        ts ??= webhook.Headers["x-signature"].Split(',')[0][3..];
        var dataId = System.Web.HttpUtility.ParseQueryString(webhook.Url.Query)["data.id"];
        return $"ts={ts},v1={Abono.Web.Gateways.MercadoPago.MercadoPagoSignature.Sign(secret, Abono.Web.Gateways.MercadoPago.MercadoPagoSignature.Manifest(dataId, webhook.Headers["x-request-id"], ts))}";
    }

    [Fact]
    public async Task A_webhook_about_a_checkout_not_yet_in_the_database_is_retried_not_dropped()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var template = await g.LastCheckoutAsync();
        // A payment whose external_reference names a checkout this instance cannot see yet (e.g. written by another
        // instance a moment later, or replication lag).
        var lateId = Guid.CreateVersion7();
        var preference = factory.Fakes.State.Preferences[template.GatewayReference!];
        var early = new MercadoPagoPreference
        {
            Id = "1234567-" + Guid.NewGuid(), AccessToken = preference.AccessToken, Amount = 23_800, Title = "x", ExternalReference = lateId.ToString(),
            NotificationUrl = preference.NotificationUrl, BackUrls = [],
        };
        factory.Fakes.State.Preferences[early.Id] = early;
        await MercadoPagoFake.PayAsync(factory.Fakes.State, early.Id);
        await Inbox.RunOnceAsync();
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            var waiting = await scope.Db.InboxEvents.Where(e => e.ProcessedAt == null).OrderBy(e => e.Id).LastAsync();
            Assert.Contains(lateId.ToString(), waiting.LastError);
            var now = factory.Clock.GetUtcNow().UtcDateTime;
            scope.Db.Checkouts.Add(new Checkout
            {
                Id = lateId, CompanyId = g.Portal.Merchant.CompanyId, Purpose = CheckoutPurpose.DocumentPayment, CustomerId = g.Portal.CustomerId,
                Amount = 23_800, Gateway = GatewayKind.MercadoPago, PaymentMethodId = g.MethodId, State = CheckoutState.Pending,
                GatewayReference = early.Id, Description = "Pago", CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddMinutes(30),
            });
            scope.Db.CheckoutDocuments.Add(new CheckoutDocument { CheckoutId = lateId, DocumentId = g.Portal.DocumentIds[1], Amount = 23_800 });
            await scope.Db.SaveChangesAsync();
        }
        factory.Clock.Advance(TimeSpan.FromSeconds(11));
        await Inbox.RunOnceAsync();
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(CheckoutState.Succeeded, (await check.Db.Checkouts.SingleAsync(c => c.Id == lateId)).State);
        Assert.Equal(0, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[1])).Balance);
    }

    [Fact]
    public async Task A_return_while_Mercado_Pago_refuses_our_credentials_shows_a_clear_page_and_stays_unknown()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        var (browser, _) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        factory.Fakes.State.MercadoPagoAccounts.Remove(FakeAccounts.MercadoPagoAccessToken);
        try
        {
            var page = await browser.GetAsync($"/pagos/retorno/{checkout.Id}?payment_id=1000000001&status=approved");
            Assert.Equal(System.Net.HttpStatusCode.OK, page.Status);
            Assert.Contains("Tu pago aún no se confirma", page.Text);
            Assert.Equal(CheckoutState.Unknown, (await g.LastCheckoutAsync()).State);
        }
        finally
        {
            factory.Fakes.State.MercadoPagoAccounts[FakeAccounts.MercadoPagoAccessToken] = FakeAccounts.MercadoPagoWebhookSecret;
        }
    }

    /// <summary>POST /checkout/preferences straight at the fake, as the SDK would, with one CLP item.</summary>
    private async Task<HttpResponseMessage> CreatePreferenceAsync(string accessToken, IReadOnlyDictionary<string, string> backUrls, string? notificationUrl = null)
    {
        using var http = new HttpClient { BaseAddress = factory.Fakes.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "checkout/preferences")
        {
            Content = JsonContent.Create(new
            {
                items = new[] { new { title = "Factura N° 1", quantity = 1, currency_id = "CLP", unit_price = 1900 } },
                back_urls = backUrls, auto_return = "approved", external_reference = Guid.NewGuid().ToString(), notification_url = notificationUrl,
            }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return await http.SendAsync(request);
    }

    private static Dictionary<string, string> BackUrls(string baseUrl) =>
        new() { ["success"] = baseUrl + "/pagos/retorno/1", ["pending"] = baseUrl + "/pagos/retorno/1", ["failure"] = baseUrl + "/pagos/retorno/1" };

    /// <summary>A second fake Mercado Pago account (its own access token, same webhook secret) for the per-account switches.</summary>
    private string NewAccount(string name)
    {
        var token = $"TEST-{name}-{Guid.NewGuid():N}";
        lock (factory.Fakes.State.Gate)
        {
            factory.Fakes.State.MercadoPagoAccounts[token] = FakeAccounts.MercadoPagoWebhookSecret;
        }
        return token;
    }

    /// <summary>A payment in a new preference of <paramref name="accessToken"/>, with webhooks recorded but not delivered: those about it.</summary>
    private async Task<(MercadoPagoPayment Payment, List<RecordedWebhook> Webhooks)> PayRecordingWebhooksAsync(string accessToken)
    {
        using var created = await CreatePreferenceAsync(accessToken, BackUrls("http://localhost"), "http://localhost/webhooks/mercadopago/m999999?source_news=webhooks");
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var preferenceId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        var state = factory.Fakes.State;
        state.DeliverWebhooks = false;
        try
        {
            var payment = await MercadoPagoFake.PayAsync(state, preferenceId);
            lock (state.Gate)
            {
                return (payment, state.Webhooks.Where(w => w.Url.Query.Contains($"data.id={payment.Id}&", StringComparison.Ordinal)).ToList());
            }
        }
        finally
        {
            state.DeliverWebhooks = true;
        }
    }

    [Theory]
    [InlineData("success", "http://127.0.0.1:5070")]
    [InlineData("pending", "https://192.168.1.20")]
    [InlineData("failure", "http://[::1]:5070")]
    [InlineData("success", "http://[2001:db8::1]")]
    public async Task The_fake_refuses_a_preference_whose_back_url_host_is_an_IP_address_with_400(string which, string ipBase)
    {
        var backUrls = BackUrls("http://localhost");
        backUrls[which] = ipBase + "/pagos/retorno/1";
        using var response = await CreatePreferenceAsync(FakeAccounts.MercadoPagoAccessToken, backUrls);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(("back_urls invalid. Wrong format", "invalid_back_urls", 400),
            (error.GetProperty("message").GetString(), error.GetProperty("error").GetString(), error.GetProperty("status").GetInt32()));
        Assert.Contains(which, error.GetProperty("cause")[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_fake_accepts_back_urls_on_a_host_name_such_as_localhost_which_is_what_the_app_sends_in_tests()
    {
        using var response = await CreatePreferenceAsync(FakeAccounts.MercadoPagoAccessToken, BackUrls("http://localhost"));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("1234567-", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString());

        // The app's own preference (through the portal) carries our return URL on http://localhost, and was accepted.
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var preference = factory.Fakes.State.Preferences[(await g.LastCheckoutAsync()).GatewayReference!];
        Assert.StartsWith("http://localhost/pagos/retorno/", (string?)preference.BackUrls["success"]);
    }

    [Fact]
    public async Task A_payment_under_a_silent_test_account_sends_and_records_no_notification()
    {
        var silent = NewAccount("silent");
        lock (factory.Fakes.State.Gate)
        {
            factory.Fakes.State.MercadoPagoSilentAccounts.Add(silent);
        }
        var (payment, webhooks) = await PayRecordingWebhooksAsync(silent);
        Assert.Empty(webhooks);
        Assert.Equal("approved", factory.Fakes.State.MercadoPagoPayments[payment.Id].Status);   // the payment itself exists

        // The same payment under an account that is not silent is notified (the default).
        var (_, notified) = await PayRecordingWebhooksAsync(NewAccount("loud"));
        Assert.Single(notified);
    }

    [Fact]
    public async Task An_unsigned_account_notifies_without_x_signature_but_with_x_request_id()
    {
        var unsigned = NewAccount("unsigned");
        lock (factory.Fakes.State.Gate)
        {
            factory.Fakes.State.MercadoPagoUnsignedAccounts.Add(unsigned);
        }
        var (payment, webhooks) = await PayRecordingWebhooksAsync(unsigned);
        var webhook = Assert.Single(webhooks);
        Assert.False(webhook.Headers.ContainsKey("x-signature"));
        Assert.True(Guid.TryParse(webhook.Headers["x-request-id"], out _));
        Assert.Contains($"\"data\":{{\"id\":\"{payment.Id}\"}}", webhook.Body);

        // By default the notification is signed.
        var (_, signed) = await PayRecordingWebhooksAsync(NewAccount("signed"));
        Assert.StartsWith("ts=", Assert.Single(signed).Headers["x-signature"]);
    }

    [Fact]
    public async Task Reembolsar_refunds_through_the_payments_API_and_restores_the_balance()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        var (browser, checkoutPro) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        await browser.SubmitAsync(checkoutPro, "button[value=approved]");
        var paymentId = await g.LastPaymentIdAsync();
        var page = await g.RefundAsync(paymentId, 11_900);
        Assert.Contains("Reembolsamos $11.900", page.Text);
        var checkoutId = (await g.LastCheckoutAsync()).Id.ToString();
        var mpPayment = factory.Fakes.State.MercadoPagoPayments.Values.Single(p => p.ExternalReference == checkoutId);
        Assert.Equal("refunded", mpPayment.Status);
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(11_900, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
        Assert.Equal(PaymentStatus.Refunded, (await check.Db.Payments.SingleAsync()).Status);
    }
}
