using Abono.Web.Platform.Jobs;
using System.Net.Http.Json;
using Abono.FakeGateways;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;

namespace Abono.Tests.Payments.Gateways;

/// <summary>Webpay Plus against the fake Transbank: the four documented returns, commit only where allowed, recovery, refunds.</summary>
public class WebpayTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private static readonly Dictionary<string, string?> ApprovedCard = new() { ["card"] = "4051885600446623" };

    [Fact]
    public async Task A_payer_pays_a_document_with_an_approved_card_and_the_commit_records_it_once()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (browser, webpay) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        Assert.True(webpay.Text.Contains("Webpay Plus"), webpay.Url + " " + string.Join(" > ", browser.History) + webpay.Text[..Math.Min(1500, webpay.Text.Length)]);
        Assert.Contains("11.900", webpay.Document.QuerySelector("[data-amount]")!.TextContent);

        var result = await browser.SubmitAsync(webpay, "button[value=pay]", ApprovedCard);
        Assert.True(result.Text.Contains("¡Pago realizado!"), string.Join(" > ", browser.History) + System.Text.RegularExpressions.Regex.Replace(result.Text, @"\s+", " "));
        // Webpay's return was a GET with token_ws alone (case 1), and it was committed.
        Assert.Contains(browser.History, u => u.Contains("/pagos/retorno/") && u.Contains("token_ws="));

        var checkout = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Succeeded, checkout.State);
        Assert.Equal(WebpayState.Authorized, factory.Fakes.State.WebpayTransactions[checkout.GatewayReference!].State);
        Assert.Equal(Abono.Web.Gateways.Webpay.WebpayGateway.BuyOrder(checkout.Id), factory.Fakes.State.WebpayTransactions[checkout.GatewayReference!].BuyOrder);
        Assert.True(factory.Fakes.State.WebpayTransactions[checkout.GatewayReference!].BuyOrder.Length <= 26);

        // Replaying the return URL (back button, double submit) commits nothing twice.
        var replay = await browser.GetAsync(browser.History.Last(u => u.Contains("token_ws=")));
        Assert.Contains("¡Pago realizado!", replay.Text);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var payment = await scope.Db.Payments.Include(p => p.Allocations).SingleAsync();
        Assert.Equal((GatewayKind.Webpay, 11_900L), (payment.Method, payment.Amount));
        Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
    }

    [Fact]
    public async Task A_rejected_card_fails_the_payment_with_a_clear_message_and_frees_the_document()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (browser, webpay) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var result = await browser.SubmitAsync(webpay, "button[value=pay]", new Dictionary<string, string?> { ["card"] = "5186059559590568" });

        Assert.Contains("El pago no se completó", result.Text);
        Assert.Contains("Webpay rechazó el pago", result.Text);
        Assert.Equal(CheckoutState.Failed, (await g.LastCheckoutAsync()).State);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await scope.Db.Payments.ToListAsync());
        Assert.Empty(await scope.Db.DocumentPaymentLocks.ToListAsync());
        Assert.Equal(11_900, (await scope.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
    }

    [Fact]
    public async Task Anular_compra_returns_by_POST_with_TBK_TOKEN_and_is_never_committed()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (browser, webpay) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var result = await browser.SubmitAsync(webpay, "button[value=abort]");

        Assert.Contains("Anulaste el pago en Webpay", result.Text);
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Cancelled, checkout.State);
        Assert.Equal(WebpayState.Aborted, factory.Fakes.State.WebpayTransactions[checkout.GatewayReference!].State);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await scope.Db.DocumentPaymentLocks.ToListAsync());
    }

    [Fact]
    public async Task A_return_with_token_ws_for_a_transaction_aborted_at_Webpay_is_refused_there_and_cancelled_here()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (browser, _) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        factory.Fakes.State.WebpayTransactions[checkout.GatewayReference!].State = WebpayState.Aborted;

        // Someone replays a "normal" return for it: we try the commit, Transbank answers 422, nothing is charged.
        var page = await browser.GetAsync($"/pagos/retorno/{checkout.Id}?token_ws={checkout.GatewayReference}");
        Assert.Contains("El pago no se completó", page.Text);
        Assert.Contains("anulada o expiró en Webpay", page.Text);
        Assert.Equal(CheckoutState.Cancelled, (await g.LastCheckoutAsync()).State);
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await scope.Db.Payments.ToListAsync());
    }

    [Fact]
    public async Task A_form_timeout_returns_without_a_token_and_the_checkout_expires()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (browser, webpay) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var result = await browser.SubmitAsync(webpay, "button[value=timeout]");

        Assert.Contains("Se agotó el tiempo para pagar en Webpay", result.Text);
        Assert.Equal(CheckoutState.Expired, (await g.LastCheckoutAsync()).State);
    }

    [Theory]
    [InlineData("abort")]
    [InlineData("timeout")]
    public async Task The_fake_reports_an_aborted_or_timed_out_transaction_as_200_INITIALIZED_and_refuses_its_commit_with_422(string action)
    {
        // Straight at the fake's API with Transbank's integration credentials, the app out of the way.
        using var http = new HttpClient { BaseAddress = factory.Fakes.BaseUrl };
        HttpRequestMessage Request(HttpMethod method, string path, object? body = null)
        {
            var request = new HttpRequestMessage(method, "rswebpaytransaction/api/webpay/v1.2/transactions" + path);
            request.Headers.Add("Tbk-Api-Key-Id", FakeAccounts.WebpayCommerceCode);
            request.Headers.Add("Tbk-Api-Key-Secret", FakeAccounts.WebpayApiKeySecret);
            request.Content = body is null ? null : JsonContent.Create(body);
            return request;
        }
        var buyOrder = "T" + Guid.NewGuid().ToString("N")[..20];
        using var created = await http.SendAsync(Request(HttpMethod.Post, "", new { buy_order = buyOrder, session_id = "s1", amount = 1900, return_url = "http://localhost/retorno" }));
        Assert.Equal(System.Net.HttpStatusCode.OK, created.StatusCode);
        var token = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString()!;
        // The payer presses "Anular compra" (or lets the form time out) on Webpay's page.
        using var form = await http.PostAsync("webpayserver/pay", new FormUrlEncodedContent(new Dictionary<string, string> { ["token_ws"] = token, ["action"] = action }));
        Assert.Equal(action == "abort" ? WebpayState.Aborted : WebpayState.TimedOut, factory.Fakes.State.WebpayTransactions[token].State);

        using var status = await http.SendAsync(Request(HttpMethod.Get, "/" + token));
        Assert.Equal(System.Net.HttpStatusCode.OK, status.StatusCode);
        var answer = await status.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(("INITIALIZED", buyOrder), (answer.GetProperty("status").GetString(), answer.GetProperty("buy_order").GetString()));
        Assert.False(answer.TryGetProperty("response_code", out _));
        Assert.False(answer.TryGetProperty("authorization_code", out _));

        using var commit = await http.SendAsync(Request(HttpMethod.Put, "/" + token, new { }));
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, commit.StatusCode);
        Assert.Equal("Transaction has an invalid finished state: aborted",
            (await commit.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("error_message").GetString());
    }

    [Fact]
    public async Task A_transaction_aborted_at_Webpay_whose_return_never_arrives_stays_pending_until_the_janitor_expires_it()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        // The payer pressed "Anular compra" and closed the tab before the return reached us.
        factory.Fakes.State.WebpayTransactions[checkout.GatewayReference!].State = WebpayState.Aborted;
        var janitor = factory.Services.GetRequiredService<CheckoutJanitor>();

        factory.Clock.Advance(Backoff.CheckoutStatus.Initial);
        await janitor.RunAsync();
        // INITIALIZED tells us nothing was charged, but not that the payer gave up: still Pending, documents still held.
        Assert.Equal(CheckoutState.Pending, (await g.LastCheckoutAsync()).State);
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            Assert.NotEmpty(await scope.Db.DocumentPaymentLocks.ToListAsync());
        }

        factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace);
        await janitor.RunAsync();
        Assert.Equal(CheckoutState.Expired, (await g.LastCheckoutAsync()).State);
        Assert.Equal(WebpayState.Aborted, factory.Fakes.State.WebpayTransactions[checkout.GatewayReference!].State);   // never committed
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Empty(await check.Db.Payments.ToListAsync());
        Assert.Empty(await check.Db.DocumentPaymentLocks.ToListAsync());
    }

    [Fact]
    public async Task An_abort_or_timeout_return_naming_another_transaction_leaves_the_checkout_pending()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (browser, _) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();

        // The status API says INITIALIZED whether the payer is still at the form or gave up, so these do not decide.
        var abort = await browser.GetAsync($"/pagos/retorno/{checkout.Id}?TBK_TOKEN={new string('a', 64)}&TBK_ORDEN_COMPRA=AB1&TBK_ID_SESION=x");
        Assert.Contains("aún no se confirma", abort.Text);
        var timeout = await browser.GetAsync($"/pagos/retorno/{checkout.Id}?TBK_ORDEN_COMPRA=ABotherbuyorder&TBK_ID_SESION=x");
        Assert.Contains("aún no se confirma", timeout.Text);
        Assert.Equal(CheckoutState.Pending, (await g.LastCheckoutAsync()).State);

        // The payer still pays at Webpay and comes back normally.
        WebpayFake.Pay(factory.Fakes.State, checkout.GatewayReference!);
        var paid = await browser.GetAsync($"/pagos/retorno/{checkout.Id}?token_ws={checkout.GatewayReference}");
        Assert.Contains("¡Pago realizado!", paid.Text);
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
    }

    [Fact]
    public async Task A_return_carrying_another_checkouts_token_commits_nothing()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (_, first) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        var firstCheckout = await g.LastCheckoutAsync();
        var (browser, _) = await g.StartAsync([g.Portal.DocumentIds[1]]);
        var second = await g.LastCheckoutAsync();
        WebpayFake.Pay(factory.Fakes.State, firstCheckout.GatewayReference!);

        // The payer of the second checkout forges a return with the first checkout's token.
        var page = await browser.GetAsync($"/pagos/retorno/{second.Id}?token_ws={firstCheckout.GatewayReference}");
        Assert.Contains("aún no se confirma", page.Text);
        Assert.Equal(WebpayState.AwaitingCommit, factory.Fakes.State.WebpayTransactions[firstCheckout.GatewayReference!].State);
        Assert.NotEqual(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        Assert.NotNull(first);
    }

    [Fact]
    public async Task A_commit_whose_answer_never_arrives_is_Unknown_then_reconciled_from_the_status_API_exactly_once()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (browser, webpay) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        // Transbank commits, but its answer is lost (our 2 s timeout).
        factory.Fakes.State.Faults.Add("webpay.commit", new Fault(FaultKind.Timeout, AfterEffect: true));
        var result = await browser.SubmitAsync(webpay, "button[value=pay]", ApprovedCard);

        Assert.Contains("Tu pago aún no se confirma", result.Text);
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Unknown, checkout.State);
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            Assert.Empty(await scope.Db.Payments.ToListAsync());
            Assert.NotEmpty(await scope.Db.DocumentPaymentLocks.ToListAsync());   // not released: the money may have moved
        }

        var janitor = factory.Services.GetRequiredService<CheckoutJanitor>();
        factory.Clock.Advance(Backoff.CheckoutStatus.Initial);
        await Task.WhenAll(janitor.RunAsync(), janitor.RunAsync(), janitor.RunAsync());
        factory.Clock.Advance(TimeSpan.FromDays(2));
        await janitor.RunAsync();

        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Single(await check.Db.Payments.ToListAsync());
        Assert.Equal(0, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
        Assert.Equal(2, await g.EmailsContainingAsync("Comprobante de pago"));
    }

    [Fact]
    public async Task En_revision_lists_a_payment_without_a_clear_answer_and_Consultar_records_it()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (browser, webpay) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        factory.Fakes.State.Faults.Add("webpay.commit", new Fault(FaultKind.ServerError, AfterEffect: true));
        await browser.SubmitAsync(webpay, "button[value=pay]", ApprovedCard);
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Unknown, checkout.State);

        var merchant = g.Portal.Merchant.Client;
        var review = await merchant.GetAsync("/reportes/pagos/en-revision");
        Assert.Contains("$11.900", review.Document.QuerySelector($"[data-testid=review-{checkout.Id}]")!.TextContent);
        var checkedNow = await merchant.SubmitAsync(review, new Dictionary<string, string?>(), form: $"[data-testid=review-{checkout.Id}] form");
        Assert.Contains("Webpay Plus confirmó el pago", checkedNow.Text);
        Assert.Null(checkedNow.Document.QuerySelector($"[data-testid=review-{checkout.Id}]"));
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
    }

    [Fact]
    public async Task Webpay_down_or_answering_garbage_never_charges_and_never_shows_a_500()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        factory.Fakes.State.Faults.Add("webpay.create", new Fault(FaultKind.ServerError));
        var (browser, page) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.Status);
        Assert.Contains("No pudimos comunicarnos con la pasarela de pago", page.Text);

        // Malformed JSON on the commit: ambiguous, so Unknown (not Failed), then the status API settles it.
        var (_, webpay) = await g.StartAsync([g.Portal.DocumentIds[1]], browser);
        factory.Fakes.State.Faults.Add("webpay.commit", new Fault(FaultKind.MalformedJson, AfterEffect: true));
        var result = await browser.SubmitAsync(webpay, "button[value=pay]", ApprovedCard);
        Assert.Equal(System.Net.HttpStatusCode.OK, result.Status);
        Assert.Equal(CheckoutState.Unknown, (await g.LastCheckoutAsync()).State);
        factory.Clock.Advance(Backoff.CheckoutStatus.Initial);
        await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();
        Assert.Equal(CheckoutState.Succeeded, (await g.LastCheckoutAsync()).State);
    }

    [Fact]
    public async Task Reembolsar_reverses_a_credit_card_payment_in_part_then_in_full_and_refuses_a_partial_debit_refund()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.Webpay);
        var (browser, webpay) = await g.StartAsync([g.Portal.DocumentIds[0], g.Portal.DocumentIds[1]]);
        await browser.SubmitAsync(webpay, "button[value=pay]", ApprovedCard);
        var paymentId = await g.LastPaymentIdAsync();
        var merchant = g.Portal.Merchant.Client;
        var detail = await merchant.GetAsync($"/reportes/pagos/{paymentId}");
        Assert.Contains("Reembolsar", detail.Text);

        var over = await merchant.SubmitAsync(detail, new Dictionary<string, string?> { ["RefundAmount"] = "40000" }, form: "form[data-refund]");
        Assert.Contains("supera lo que queda por reembolsar", over.FieldError("RefundAmount") ?? over.Text);

        var partial = await merchant.SubmitAsync(detail, new Dictionary<string, string?> { ["RefundAmount"] = "5000" }, form: "form[data-refund]");
        Assert.Contains("Reembolsamos $5.000", partial.Text);
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            // Taken off the last allocated document first.
            Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
            Assert.Equal(5_000, (await scope.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[1])).Balance);
            Assert.Equal(5_000, (await scope.Db.Payments.SingleAsync()).RefundedAmount);
        }

        var rest = await g.RefundAsync(paymentId, 30_700);
        Assert.Contains("Reembolsamos $30.700", rest.Text);
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            var payment = await scope.Db.Payments.Include(p => p.Allocations).SingleAsync();
            Assert.Equal((PaymentStatus.Refunded, 35_700L), (payment.Status, payment.RefundedAmount));
            Assert.Equal([11_900L, 23_800L], await scope.Db.Documents.Where(d => g.Portal.DocumentIds.Take(2).Contains(d.Id)).OrderBy(d => d.Id).Select(d => d.Balance).ToListAsync());
            Assert.Equal(2, await scope.Db.PaymentRefunds.CountAsync(r => r.State == RefundState.Succeeded));
            Assert.Equal(4, await g.EmailsContainingAsync("Reembolso del pago"));
        }
        var token = (await g.LastCheckoutAsync()).GatewayReference!;
        Assert.Equal(WebpayState.Nullified, factory.Fakes.State.WebpayTransactions[token].State);

        // A debit card (Redcompra) can only be nullified in full.
        var (browser2, webpay2) = await g.StartAsync([g.Portal.DocumentIds[2]]);
        await browser2.SubmitAsync(webpay2, "button[value=pay]", new Dictionary<string, string?> { ["card"] = "4051884239937763" });
        var debitId = await g.LastPaymentIdAsync();
        var refused = await g.RefundAsync(debitId, 1_000);
        Assert.Contains("solo permite reembolsar el total", refused.Text);
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(0, (await check.Db.Payments.SingleAsync(p => p.Id == debitId)).RefundedAmount);
        Assert.Equal(RefundState.Refused, (await check.Db.PaymentRefunds.SingleAsync(r => r.PaymentId == debitId)).State);
    }
}
