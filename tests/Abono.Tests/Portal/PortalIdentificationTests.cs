using System.Net;
using Abono.Web.Features.Portal;
using Abono.Web.Platform.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;

namespace Abono.Tests.Portal;

/// <summary>The company link: identify with RUT plus email or phone; the same answer for every failure; limits that hold.</summary>
public class PortalIdentificationTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    /// <summary>The app with a clock the test moves, to see the failure window close.</summary>
    private static Task<AppClient.Page> IdentifyAsync(AppClient client, string code, string? rut, string? contact) =>
        client.FillAsync($"/portal/{code}", new Dictionary<string, string?> { ["Input.Rut"] = rut, ["Input.Contact"] = contact });

    [Fact]
    public async Task RUT_with_or_without_dots_and_email_or_phone_in_any_case_or_spacing_identify_the_customer()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var plain = s.CustomerRut.Replace("-", "");
        string[][] attempts =
        [
            [s.FormattedRut, PortalScenario.CustomerEmail],
            [s.CustomerRut, "  PAGOS@Cliente-Portal.CL "],
            [plain, "+56 9 6123 4567"],
            [s.FormattedRut, "961234567"],
            [s.FormattedRut.ToLowerInvariant(), "(+56) 9-6123-4567"],
        ];
        foreach (var attempt in attempts)
        {
            var client = factory.CreateAppClient();
            var page = await IdentifyAsync(client, s.Code, attempt[0], attempt[1]);
            Assert.True(page.Url.EndsWith("/documentos"), $"{attempt[0]} + {attempt[1]} did not identify: {page.Document.QuerySelector("[data-testid=identify-error]")?.TextContent}");
            Assert.Contains("Hola, Cliente Portal Ltda.", page.Text);
        }
    }

    [Fact]
    public async Task A_wrong_combination_and_an_unknown_rut_get_the_same_answer()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var client = factory.CreateAppClient();
        var wrongContact = await IdentifyAsync(client, s.Code, s.FormattedRut, "otro@correo.cl");
        var unknownRut = await IdentifyAsync(client, s.Code, Merchant.NewRut(95_000_000), PortalScenario.CustomerEmail);
        var wrongPhone = await IdentifyAsync(client, s.Code, s.FormattedRut, "+56 9 9999 9999");

        foreach (var page in new[] { wrongContact, unknownRut, wrongPhone })
        {
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal(IndexModel.NoMatch, page.Document.QuerySelector("[data-testid=identify-error]")!.TextContent.Trim());
            Assert.DoesNotContain("Cliente Portal", page.Text);
        }

        var invalid = await IdentifyAsync(client, s.Code, "12.345.678-9", "");
        Assert.Contains("dígito verificador", invalid.FieldError("Input.Rut"));
        Assert.Equal("Ingresa tu correo electrónico o tu teléfono.", invalid.FieldError("Input.Contact"));
    }

    /// <summary>Tries from one connection, waiting out every throttle answer (on the fake clock), until <paramref name="failures"/> wrong answers were checked.</summary>
    internal static async Task<List<(HttpStatusCode Status, string Message, string? RetryAfter)>> FailAsync(
        PortalScenario s, FakeTimeProvider clock, AppClient client, int failures, Func<int, string> rut, string contact = "intruso@x.cl")
    {
        var answers = new List<(HttpStatusCode, string, string?)>();
        for (var checkedFailures = 0; checkedFailures < failures;)
        {
            var answer = await TryAsync(client, s.Code, rut(checkedFailures), contact);
            answers.Add(answer);
            if (answer.Status == HttpStatusCode.TooManyRequests)
            {
                clock.Advance(TimeSpan.FromSeconds(int.Parse(answer.RetryAfter!)));
            }
            else
            {
                Assert.Equal(IndexModel.NoMatch, answer.Message);
                checkedFailures++;
            }
        }
        return answers;
    }

    /// <summary>One identification: status, the message shown and Retry-After.</summary>
    internal static async Task<(HttpStatusCode Status, string Message, string? RetryAfter)> TryAsync(AppClient client, string code, string rut, string contact)
    {
        var response = await client.PostFormAsync(await client.GetAsync($"/portal/{code}"),
            new Dictionary<string, string?> { ["Input.Rut"] = rut, ["Input.Contact"] = contact });
        var page = await AppClient.Page.ReadAsync(response, $"/portal/{code}");
        return (page.Status, page.Document.QuerySelector("[data-testid=identify-error]")?.TextContent.Trim() ?? "", response.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task Failures_from_other_connections_never_stop_the_right_customer()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var attacker = factory.CreateAppClient(from: "198.51.100.7");
        var answers = await FailAsync(s, factory.Clock, attacker, 12, _ => s.FormattedRut);
        Assert.Contains(answers, a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.All(answers.Where(a => a.RetryAfter is not null), a => Assert.InRange(int.Parse(a.RetryAfter!), 1, (int)LoginThrottle.PerSubject.MaxDelay.TotalSeconds));

        // The customer, from their own connection, goes straight in: nothing is counted per RUT alone.
        var customer = await IdentifyAsync(factory.CreateAppClient(from: "192.0.2.10"), s.Code, s.FormattedRut, PortalScenario.CustomerEmail);
        Assert.EndsWith("/documentos", customer.Url);

        // The guessing connection itself must wait, before its answer is even checked; then the right answer passes.
        var throttledResponse = await attacker.PostFormAsync(await attacker.GetAsync($"/portal/{s.Code}"),
            new Dictionary<string, string?> { ["Input.Rut"] = s.FormattedRut, ["Input.Contact"] = PortalScenario.CustomerEmail });
        Assert.Equal(HttpStatusCode.TooManyRequests, throttledResponse.StatusCode);
        var wait = int.Parse(throttledResponse.Headers.RetryAfter!.ToString());
        Assert.InRange(wait, 1, (int)LoginThrottle.PerSubject.MaxDelay.TotalSeconds);
        factory.Clock.Advance(TimeSpan.FromSeconds(wait));
        Assert.EndsWith("/documentos", (await IdentifyAsync(attacker, s.Code, s.FormattedRut, PortalScenario.CustomerEmail)).Url);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        var keys = await db.PortalLoginFailures.Select(f => f.KeyHash).ToListAsync();
        Assert.DoesNotContain(keys, k => k.Contains(s.CustomerRut) || k.Contains("198.51.100.7"));
    }

    [Fact]
    public async Task Someone_guessing_from_a_shared_address_costs_a_colleague_there_at_most_a_bounded_wait()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        const string office = "203.0.113.50";
        // Spraying: one try on each of many RUTs.
        var answers = await FailAsync(s, factory.Clock, factory.CreateAppClient(from: office), 30, _ => Merchant.NewRut(96_000_000));
        Assert.Contains(answers, a => a.Status == HttpStatusCode.TooManyRequests);

        // A colleague with the right data, from the same address, right after the last failure.
        var colleague = factory.CreateAppClient(from: office);
        var response = await colleague.PostFormAsync(await colleague.GetAsync($"/portal/{s.Code}"),
            new Dictionary<string, string?> { ["Input.Rut"] = s.FormattedRut, ["Input.Contact"] = PortalScenario.CustomerEmail });
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var page = await AppClient.Page.ReadAsync(response, $"/portal/{s.Code}");
        var wait = int.Parse(response.Headers.RetryAfter!.ToString());
        Assert.InRange(wait, 1, (int)LoginThrottle.PerSource.MaxDelay.TotalSeconds);
        Assert.Equal(IndexModel.TooMany(wait), page.Document.QuerySelector("[data-testid=identify-error]")!.TextContent.Trim());

        factory.Clock.Advance(TimeSpan.FromSeconds(wait));
        Assert.EndsWith("/documentos", (await IdentifyAsync(colleague, s.Code, s.FormattedRut, PortalScenario.CustomerEmail)).Url);
    }

    [Fact]
    public async Task A_known_and_an_unknown_rut_get_the_same_answers_through_failures_and_throttling()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var known = factory.CreateAppClient(from: "198.51.100.21");
        var unknown = factory.CreateAppClient(from: "198.51.100.22");
        var unknownRut = Merchant.NewRut(97_000_000);
        var answers = new List<(HttpStatusCode Status, string Message, string? RetryAfter)>();
        for (var i = 0; i < 20; i++)
        {
            var a = await TryAsync(known, s.Code, s.FormattedRut, "intruso@x.cl");
            var b = await TryAsync(unknown, s.Code, unknownRut, "intruso@x.cl");
            Assert.Equal(a, b);
            answers.Add(a);
            if (a.Status == HttpStatusCode.TooManyRequests)
            {
                factory.Clock.Advance(TimeSpan.FromSeconds(int.Parse(a.RetryAfter!)));
            }
        }
        Assert.Contains(answers, a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.True(answers.Count(a => a.Message == IndexModel.NoMatch) > PerSubjectFree, "the wait was waited out and more failures were checked");
    }

    private static readonly int PerSubjectFree = LoginThrottle.PerSubject.FreeFailures;

    [Fact]
    public async Task A_parallel_burst_gets_about_the_free_allowance_checked_not_every_guess()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var clients = Enumerable.Range(0, 20).Select(_ => factory.CreateAppClient(from: "198.51.100.77")).ToList();
        var forms = await Task.WhenAll(clients.Select(c => c.GetAsync($"/portal/{s.Code}")));
        var answers = await Task.WhenAll(clients.Select((c, i) => c.PostFormAsync(forms[i],
            new Dictionary<string, string?> { ["Input.Rut"] = s.FormattedRut, ["Input.Contact"] = $"rafaga{i}@x.cl" })));
        var checkedGuesses = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        Assert.Equal(20, checkedGuesses + answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        // Attempts are written before they are checked, so parallel ones see each other (a small margin for
        // inserts that commit at the same instant).
        Assert.InRange(checkedGuesses, 1, 2 * PerSubjectFree);
    }

    [Fact]
    public async Task X_Forwarded_For_from_a_client_that_is_no_known_proxy_is_ignored()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var attacker = factory.CreateAppClient(from: "198.51.100.99");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            // A new forged address on every try: the throttle still sees one source.
            attacker.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
            attacker.Http.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.9.8.{i}");
            statuses.Add((await IdentifyAsync(attacker, s.Code, s.FormattedRut, $"otro{i}@x.cl")).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task The_session_expires_when_idle_and_after_two_hours_in_any_case()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var payer = await s.IdentifiedPayerAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Redirect, (await payer.Http.GetAsync($"/portal/{s.Code}/documentos")).StatusCode);

        var active = await s.IdentifiedPayerAsync();
        for (var i = 0; i < 8; i++)   // 112 minutes of activity, renewed every request
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(14));
            Assert.Equal(HttpStatusCode.OK, (await active.Http.GetAsync($"/portal/{s.Code}/documentos")).StatusCode);
        }
        factory.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.Redirect, (await active.Http.GetAsync($"/portal/{s.Code}/documentos")).StatusCode);
    }
}

public class PortalVerificationCodeTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    private static async Task<(AppClient Client, AppClient.Page Page, string Code)> StartAsync(PortalScenario s)
    {
        var client = s.Factory.CreateAppClient();
        var page = await client.FillAsync($"/portal/{s.Code}", new Dictionary<string, string?>
        {
            ["Input.Rut"] = s.FormattedRut, ["Input.Contact"] = PortalScenario.CustomerPhone,
        });
        Assert.Contains("/verificar/", page.Url);
        await using var scope = s.Factory.ScopeFor(s.Merchant.CompanyId);
        var mail = await scope.Db.Outbox.Where(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("digo para"))
            .OrderByDescending(m => m.Id).FirstAsync();
        var code = System.Text.RegularExpressions.Regex.Match(mail.Payload, @"\b(\d{6})\b").Groups[1].Value;
        Assert.Contains(PortalScenario.CustomerEmail, mail.Payload);
        return (client, page, code);
    }

    private static async Task EnableAsync(PortalScenario s) =>
        await s.Merchant.Client.FillAsync("/configuracion/portal-de-pagos/editar", new Dictionary<string, string?> { ["Input.VerifyWithCode"] = "true" });

    [Fact]
    public async Task With_verificar_con_codigo_the_emailed_code_opens_the_session_once()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        await EnableAsync(s);
        var (client, page, code) = await StartAsync(s);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync($"/portal/{s.Code}/documentos")).StatusCode);

        var wrongCode = code == "000000" ? "111111" : "000000";
        var wrong = await client.SubmitAsync(page, new Dictionary<string, string?> { ["VerificationCode"] = wrongCode });
        Assert.Contains("El código no es correcto", wrong.Text);
        var right = await client.SubmitAsync(page, new Dictionary<string, string?> { ["VerificationCode"] = code });
        Assert.EndsWith("/documentos", right.Url);

        // Single use: the same code does not work twice.
        var replay = await client.SubmitAsync(page, new Dictionary<string, string?> { ["VerificationCode"] = code });
        Assert.Contains("venció, ya se usó", replay.Text);
    }

    [Fact]
    public async Task Five_wrong_tries_or_ten_minutes_end_the_code()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        await EnableAsync(s);
        var (client, page, code) = await StartAsync(s);
        var wrongCode = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < VerificationCodesMax; i++)
        {
            Assert.Contains("no es correcto", (await client.SubmitAsync(page, new Dictionary<string, string?> { ["VerificationCode"] = wrongCode })).Text);
        }
        Assert.Contains("superaste los intentos", (await client.SubmitAsync(page, new Dictionary<string, string?> { ["VerificationCode"] = code })).Text);

        var (client2, page2, code2) = await StartAsync(s);
        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Contains("venció", (await client2.SubmitAsync(page2, new Dictionary<string, string?> { ["VerificationCode"] = code2 })).Text);
    }

    [Fact]
    public async Task With_verificar_con_codigo_a_throttled_connection_still_gets_in_with_the_emailed_code()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        await EnableAsync(s);
        var shared = factory.CreateAppClient(from: "198.51.100.40");
        var answers = new List<(HttpStatusCode Status, string Message, string? RetryAfter)>();
        while (answers.Count == 0 || answers[^1].Status != HttpStatusCode.TooManyRequests)
        {
            answers.Add(await PortalIdentificationTests.TryAsync(shared, s.Code, s.FormattedRut, $"intruso{answers.Count}@x.cl"));
        }
        async Task<int> CodeMailsAsync()
        {
            await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
            return await scope.Db.Outbox.CountAsync(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("digo para"));
        }
        var mailsBefore = await CodeMailsAsync();

        // While throttled, a wrong and a right answer get the very same page; only the right one sends a code.
        var wrong = await PortalIdentificationTests.TryAsync(shared, s.Code, s.FormattedRut, "intruso@x.cl");
        Assert.Equal(mailsBefore, await CodeMailsAsync());
        var right = await PortalIdentificationTests.TryAsync(shared, s.Code, s.FormattedRut, PortalScenario.CustomerEmail);
        Assert.Equal(wrong, right);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Status);
        Assert.Contains(IndexModel.TooManyWithCode, right.Message);
        Assert.Equal(mailsBefore + 1, await CodeMailsAsync());
        // Asking again right away sends no second email.
        await PortalIdentificationTests.TryAsync(shared, s.Code, s.FormattedRut, PortalScenario.CustomerEmail);
        Assert.Equal(mailsBefore + 1, await CodeMailsAsync());

        // The customer opens the email's link, enters the code and is in, without waiting.
        string payload;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            payload = await scope.Db.Outbox.Where(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("digo para"))
                .OrderByDescending(m => m.Id).Select(m => m.Payload).FirstAsync();
        }
        var code = System.Text.RegularExpressions.Regex.Match(payload, @"\b(\d{6})\b").Groups[1].Value;
        var link = System.Text.RegularExpressions.Regex.Match(payload, $@"/portal/{s.Code}/verificar/[0-9a-f\-]{{36}}").Value;
        var verify = await shared.GetAsync(link);
        var documents = await shared.SubmitAsync(verify, new Dictionary<string, string?> { ["VerificationCode"] = code });
        Assert.EndsWith("/documentos", documents.Url);
    }

    private const int VerificationCodesMax = Abono.Web.Features.Portal.VerificationCodes.MaxAttempts;
}
