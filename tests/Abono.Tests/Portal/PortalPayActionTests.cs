using System.Net;
using System.Text.Json;
using Abono.Web.Features.Payments;

namespace Abono.Tests.Portal;

/// <summary>
/// The pay action's server rules, over HTTP as a browser without scripts (or an attacker) sends them: the preview is
/// a GET, Pagar charges only the amount its button showed, the same form sent twice reaches one checkout, and the
/// live total answers by the same rules. Documents: $11.900, $23.800, $35.700 (total $71.400), abono mínimo $5.000.
/// </summary>
public class PortalPayActionTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Ver_como_queda_redirects_to_a_get_of_the_selection_and_Pagar_then_posts_to_the_page_itself()
    {
        var s = await PortalScenario.CreateAsync(factory, allowPartial: true);
        var payer = await s.IdentifiedPayerAsync();
        var page = await payer.GetAsync($"/portal/{s.Code}/documentos");
        var preview = await payer.PostFormAsync(page, new Dictionary<string, string?> { ["Input.Amount"] = "20.000" }, button: "button[formaction*='handler=Preview']");

        Assert.Equal(HttpStatusCode.Redirect, preview.StatusCode);
        var location = preview.Headers.Location!.ToString();
        Assert.Contains($"documentos={string.Join(",", s.DocumentIds)}", location);
        Assert.Contains("monto=20.000", location);
        var shown = await payer.GetAsync(location.Split('#')[0]);
        Assert.Contains("Pagar $20.000", shown.Text);
        Assert.Equal("20000", shown.Value("Input.ExpectedAmount"));
        // The form's own action is the page, never the preview handler (the bug this replaces).
        Assert.Equal($"/portal/{s.Code}/documentos", shown.Document.QuerySelector("form[data-pay-form]")!.GetAttribute("action"));

        var result = await payer.SubmitAsync(shown, new Dictionary<string, string?>(), button: "[data-pay-button]");
        Assert.Contains("$20.000", result.Document.QuerySelector("[data-testid=sandbox-amount]")!.TextContent);
    }

    [Fact]
    public async Task Pagar_with_an_amount_its_button_did_not_show_starts_nothing_and_shows_the_new_total()
    {
        var s = await PortalScenario.CreateAsync(factory, allowPartial: true);
        var payer = await s.IdentifiedPayerAsync();
        var page = await payer.GetAsync($"/portal/{s.Code}/documentos");
        Assert.Contains("Pagar $71.400", page.Text);

        var changed = await payer.SubmitAsync(page, new Dictionary<string, string?> { ["Input.Amount"] = "30.000" }, button: "[data-pay-button]");

        Assert.Contains("El total a pagar es $30.000", changed.Document.QuerySelector("[data-testid=pay-error]")!.TextContent);
        Assert.Contains("Pagar $30.000", changed.Text);
        Assert.Equal("30000", changed.Value("Input.ExpectedAmount"));
        Assert.Equal("30.000", changed.Value("Input.Amount"));
        await AssertCheckoutsAsync(s);
        var paid = await payer.SubmitAsync(changed, new Dictionary<string, string?>(), button: "[data-pay-button]");
        Assert.Contains("$30.000", paid.Document.QuerySelector("[data-testid=sandbox-amount]")!.TextContent);
        await AssertCheckoutsAsync(s, 30_000);
    }

    [Fact]
    public async Task The_same_form_sent_twice_at_once_reaches_one_checkout_and_the_same_gateway_page()
    {
        var s = await PortalScenario.CreateAsync(factory);
        var payer = await s.IdentifiedPayerAsync();
        var page = await payer.GetAsync($"/portal/{s.Code}/documentos");
        var (action, fields) = page.FormFields(new Dictionary<string, string?>(), "[data-pay-button]", null);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => payer.Http.PostAsync(action, new FormUrlEncodedContent(fields))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Redirect, a.StatusCode));
        Assert.Single(answers.Select(a => a.Headers.Location!.ToString()).Distinct());
        await AssertCheckoutsAsync(s, 71_400);

        // And later (a reload of the redirect, a retried request): still that checkout's page.
        var again = await payer.Http.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(answers[0].Headers.Location, again.Headers.Location);
        await AssertCheckoutsAsync(s, 71_400);
    }

    [Fact]
    public async Task The_same_form_changed_after_its_payment_started_is_not_sent_to_that_checkout()
    {
        var s = await PortalScenario.CreateAsync(factory);
        var payer = await s.IdentifiedPayerAsync();
        var page = await payer.GetAsync($"/portal/{s.Code}/documentos");
        var (action, fields) = page.FormFields(new Dictionary<string, string?>(), "[data-pay-button]", null);
        var first = await payer.Http.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        // The browser restored the form (same attempt key); the payer now wants only Factura 1, and the button said $11.900.
        var changed = fields.Where(f => f.Key is not ("Input.DocumentIds" or "Input.ExpectedAmount")).ToList();
        changed.Add(new("Input.DocumentIds", s.DocumentIds[0].ToString()));
        changed.Add(new("Input.ExpectedAmount", "11900"));
        var second = await payer.FollowAsync(await payer.Http.PostAsync(action, new FormUrlEncodedContent(changed)), action);

        Assert.Contains("pago en proceso", second.Document.QuerySelector("[data-testid=pay-error]")!.TextContent);
        Assert.NotNull(second.Document.QuerySelector("[data-testid=in-progress]"));
        await AssertCheckoutsAsync(s, 71_400);
    }

    [Fact]
    public async Task A_portal_form_that_does_not_say_what_its_button_showed_starts_nothing()
    {
        var s = await PortalScenario.CreateAsync(factory);
        var payer = await s.IdentifiedPayerAsync();
        var page = await payer.GetAsync($"/portal/{s.Code}/documentos");
        var (action, fields) = page.FormFields(new Dictionary<string, string?> { ["Input.ExpectedAmount"] = null }, "[data-pay-button]", null);
        var garbled = page.FormFields(new Dictionary<string, string?> { ["Input.ExpectedAmount"] = "setenta mil" }, "[data-pay-button]", null).Fields;

        foreach (var form in new[] { fields, garbled })
        {
            var answer = await payer.FollowAsync(await payer.Http.PostAsync(action, new FormUrlEncodedContent(form)), action);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Contains("El total a pagar es $71.400", answer.Document.QuerySelector("[data-testid=pay-error]")!.TextContent);
        }
        await AssertCheckoutsAsync(s);
    }

    [Fact]
    public async Task A_form_sent_again_after_its_payment_was_approved_shows_that_receipt_instead_of_paying_twice()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var payer = await s.IdentifiedPayerAsync();
        var page = await payer.GetAsync($"/portal/{s.Code}/documentos");
        var (action, fields) = page.FormFields(new Dictionary<string, string?>(), "[data-pay-button]", null);
        var sandbox = await payer.FollowAsync(await payer.Http.PostAsync(action, new FormUrlEncodedContent(fields)), action);
        await payer.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: "button[value=aprobar]");

        var again = await payer.Http.PostAsync(action, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Matches($"/portal/{s.Code}/pagos/[0-9a-f-]{{36}}$", again.Headers.Location!.ToString());
        await AssertCheckoutsAsync(s, 11_900);
    }

    [Fact]
    public async Task The_live_total_answers_by_the_same_rules_and_only_to_the_signed_in_payer()
    {
        var s = await PortalScenario.CreateAsync(factory, allowPartial: true);
        var payer = await s.IdentifiedPayerAsync();
        var ids = string.Join(",", s.DocumentIds);

        var full = await QuoteAsync(payer, s, ids, null);
        Assert.Equal(71_400, full.GetProperty("amount").GetInt64());
        Assert.Equal("Pagar $71.400", full.GetProperty("label").GetString());

        var part = await QuoteAsync(payer, s, ids, "20.000");
        Assert.Equal(20_000, part.GetProperty("amount").GetInt64());
        Assert.Equal("$0", part.GetProperty("after").GetProperty(s.DocumentIds[0].ToString()).GetString());
        Assert.Equal("$15.700", part.GetProperty("after").GetProperty(s.DocumentIds[1].ToString()).GetString());

        foreach (var (amount, message) in new[] { ("4.999", "Puedes abonar entre $5.000 y $71.400."), ("71.401", "Puedes abonar entre $5.000 y $71.400."),
                     ("-5", "Escribe el monto en pesos"), ("1,5", "Escribe el monto en pesos"), ("<script>", "Escribe el monto en pesos"), (new string('9', 40), "Escribe el monto en pesos") })
        {
            var refused = await QuoteAsync(payer, s, ids, amount);
            Assert.Equal(JsonValueKind.Null, refused.GetProperty("amount").ValueKind);
            Assert.StartsWith(message, refused.GetProperty("error").GetString());
        }
        var none = await QuoteAsync(payer, s, "abc,-1,99999999999999999999999", null);
        Assert.Equal("Selecciona al menos un documento.", none.GetProperty("error").GetString());

        var stranger = factory.CreateAppClient();
        var anonymous = await stranger.Http.GetAsync($"/portal/{s.Code}/documentos?handler=Quote&documentos={ids}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Hostile_selections_and_amounts_in_the_page_address_get_a_clear_page_never_a_500()
    {
        var s = await PortalScenario.CreateAsync(factory, allowPartial: true);
        var payer = await s.IdentifiedPayerAsync();
        foreach (var query in new[] { "documentos=abc&monto=xyz", "documentos=-1,0,1e9&monto=-100", "documentos=" + new string(',', 5000), "monto=%0d%0a%20",
                     "documentos=1,2,3&medio=-7", "documentos=" + string.Join(",", Enumerable.Range(1, 2000)) })
        {
            var page = await payer.GetAsync($"/portal/{s.Code}/documentos?{query}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
        }
        var foreign = await payer.GetAsync($"/portal/{s.Code}/documentos?documentos=999999&monto=5000");
        Assert.Equal(0, foreign.Document.QuerySelectorAll("input[name='Input.DocumentIds']:checked").Length);
        Assert.True(foreign.Document.QuerySelector("[data-pay-button]")!.HasAttribute("disabled"));
    }

    private static async Task<JsonElement> QuoteAsync(AppClient payer, PortalScenario s, string ids, string? amount)
    {
        var url = $"/portal/{s.Code}/documentos?handler=Quote&documentos={Uri.EscapeDataString(ids)}" + (amount is null ? "" : $"&monto={Uri.EscapeDataString(amount)}");
        var response = await payer.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task AssertCheckoutsAsync(PortalScenario s, params long[] amounts)
    {
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        var found = await scope.Db.Checkouts.Where(c => c.Purpose == CheckoutPurpose.DocumentPayment).Select(c => c.Amount).ToListAsync();
        Assert.Equal(amounts, found.ToArray());
    }
}
