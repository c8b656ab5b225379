using System.Net;
using Abono.Web.Features.Portal;

namespace Abono.Tests.Portal;

/// <summary>
/// Portal sessions end with the link that opened them, and Verificar con código cannot be used to flood a customer's
/// inbox or to guess codes without bound (issue: security hardening, items 6 and 7).
/// </summary>
public class PortalSessionLimitsTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    [Fact]
    public async Task Regenerating_a_customer_link_ends_the_sessions_it_opened_but_not_the_company_link_ones()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var dialog = await s.Merchant.Client.GetAsync($"/clientes/{s.CustomerId}/portal");
        var path = new Uri(dialog.Document.QuerySelector("[data-testid=customer-link]")!.GetAttribute("value")!).PathAndQuery;
        var fromLink = factory.CreateAppClient();
        await fromLink.FollowAsync(await fromLink.Http.GetAsync(path), path);
        Assert.Equal(HttpStatusCode.OK, (await fromLink.Http.GetAsync($"/portal/{s.Code}/documentos")).StatusCode);
        var fromCompanyLink = await s.IdentifiedPayerAsync();

        await s.Merchant.Client.SubmitAsync(dialog, new Dictionary<string, string?>(), button: "form[action*='handler=Regenerate'] button");

        var after = await fromLink.Http.GetAsync($"/portal/{s.Code}/documentos");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal($"/portal/{s.Code}", after.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await fromCompanyLink.Http.GetAsync($"/portal/{s.Code}/documentos")).StatusCode);
    }

    [Fact]
    public async Task Identifying_again_and_again_sends_three_codes_per_quarter_hour_and_six_per_hour_then_says_to_wait()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        await EnableAsync(s);

        var pages = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            pages.Add((await IdentifyAsync(s)).Page.Url);
        }
        Assert.Equal(3, await CodeEmailsAsync(s));
        Assert.All(pages, p => Assert.Contains("/verificar/", p));
        // Past the limit the payer is sent to a code already emailed, not to a new one.
        Assert.Equal(3, pages.Distinct().Count());
        Assert.Contains(pages[19], pages.Take(3));

        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        for (var i = 0; i < 5; i++)
        {
            await IdentifyAsync(s);
        }
        Assert.Equal(6, await CodeEmailsAsync(s));

        // Within the hour, with every code sent already expired: nothing more is sent, and the page says why.
        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        var (_, waiting) = await IdentifyAsync(s);
        Assert.Contains(VerificationCodes.TooManyMessage, waiting.Text);
        Assert.Equal(6, await CodeEmailsAsync(s));

        factory.Clock.Advance(TimeSpan.FromMinutes(40));
        Assert.Contains("/verificar/", (await IdentifyAsync(s)).Page.Url);
        Assert.Equal(7, await CodeEmailsAsync(s));
    }

    [Fact]
    public async Task Guesses_are_capped_per_customer_across_codes_so_new_codes_buy_no_new_tries()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        await EnableAsync(s);
        for (var round = 0; round < 2; round++)
        {
            var (client, page) = await IdentifyAsync(s);
            var code = await LatestCodeAsync(s);
            var wrong = code == "000000" ? "111111" : "000000";
            for (var i = 0; i < VerificationCodes.MaxAttempts; i++)
            {
                Assert.Contains("no es correcto", (await client.SubmitAsync(page, new Dictionary<string, string?> { ["VerificationCode"] = wrong })).Text);
            }
        }

        var (third, thirdPage) = await IdentifyAsync(s);
        var refused = await third.SubmitAsync(thirdPage, new Dictionary<string, string?> { ["VerificationCode"] = await LatestCodeAsync(s) });
        Assert.Contains("superaste los intentos", refused.Text);

        factory.Clock.Advance(TimeSpan.FromMinutes(61));
        var (fresh, freshPage) = await IdentifyAsync(s);
        var opened = await fresh.SubmitAsync(freshPage, new Dictionary<string, string?> { ["VerificationCode"] = await LatestCodeAsync(s) });
        Assert.EndsWith("/documentos", opened.Url);
    }

    [Fact]
    public async Task One_source_asking_codes_for_many_customers_is_limited_too()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var customers = new List<long> { s.CustomerId };
        for (var i = 0; i < 4; i++)
        {
            customers.Add(await s.Merchant.CreateCustomerAsync(rut: Merchant.NewRut(70_000_000), name: $"Vecino {i}", email: $"vecino{i}@correo.cl"));
        }
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        var codes = scope.Get<VerificationCodes>();
        var sent = 0;
        foreach (var customer in customers)
        {
            for (var i = 0; i < 3; i++)
            {
                var before = await CodeEmailsAsync(s);
                await codes.SendAsync(customer, "x@correo.cl", "203.0.113.7", CancellationToken.None);
                sent += await CodeEmailsAsync(s) - before;
            }
        }
        Assert.Equal(VerificationCodes.SendsPerSourcePerWindow, sent);
        // Another source is not affected by the first one's volume.
        // Another source is not held back by the first one's volume (the last customer got none from the first source).
        var before2 = await CodeEmailsAsync(s);
        Assert.NotNull(await codes.SendAsync(customers[^1], "x@correo.cl", "198.51.100.9", CancellationToken.None));
        Assert.Equal(before2 + 1, await CodeEmailsAsync(s));
    }

    private static Task EnableAsync(PortalScenario s) =>
        s.Merchant.Client.FillAsync("/configuracion/portal-de-pagos/editar", new Dictionary<string, string?> { ["Input.VerifyWithCode"] = "true" });

    private async Task<(AppClient Client, AppClient.Page Page)> IdentifyAsync(PortalScenario s)
    {
        var client = factory.CreateAppClient();
        var page = await client.FillAsync($"/portal/{s.Code}", new Dictionary<string, string?>
        {
            ["Input.Rut"] = s.FormattedRut, ["Input.Contact"] = PortalScenario.CustomerEmail,
        });
        return (client, page);
    }

    private async Task<int> CodeEmailsAsync(PortalScenario s)
    {
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        return await scope.Db.Outbox.CountAsync(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("digo para"));
    }

    private async Task<string> LatestCodeAsync(PortalScenario s)
    {
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        var mail = await scope.Db.Outbox.Where(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("digo para")).OrderByDescending(m => m.Id).FirstAsync();
        return System.Text.RegularExpressions.Regex.Match(mail.Payload, @"\b(\d{6})\b").Groups[1].Value;
    }

}
