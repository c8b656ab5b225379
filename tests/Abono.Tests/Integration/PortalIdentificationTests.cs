using System.Net;
using Abono.Web.Features.Portal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;

namespace Abono.Tests.Integration;

/// <summary>The company link: identify with RUT plus email or phone; the same answer for every failure; limits that hold.</summary>
public class PortalIdentificationTests(PortalIdentificationTests.ClockFactory factory) : IClassFixture<PortalIdentificationTests.ClockFactory>
{
    /// <summary>The app with a clock the test moves, to see the failure window close.</summary>
    public sealed class ClockFactory : AbonoFactory
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

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

    [Fact]
    public async Task Five_failures_block_the_rut_with_429_until_the_window_passes()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var client = factory.CreateAppClient();
        for (var i = 0; i < PortalLoginLimiter.MaxFailures; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await IdentifyAsync(client, s.Code, s.FormattedRut, $"intento{i}@x.cl")).Status);
        }

        // Even the right answer is refused now, from any browser.
        var blocked = await IdentifyAsync(factory.CreateAppClient(), s.Code, s.FormattedRut, PortalScenario.CustomerEmail);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.Status);
        Assert.Contains("intenta más tarde", blocked.Text);

        factory.Clock.Advance(PortalLoginLimiter.Window + TimeSpan.FromMinutes(1));
        var allowed = await IdentifyAsync(factory.CreateAppClient(), s.Code, s.FormattedRut, PortalScenario.CustomerEmail);
        Assert.EndsWith("/documentos", allowed.Url);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        Assert.DoesNotContain(await db.PortalLoginFailures.Select(f => f.KeyHash).ToListAsync(), k => k.Contains(s.CustomerRut));
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

public class PortalVerificationCodeTests(PortalIdentificationTests.ClockFactory factory) : IClassFixture<PortalIdentificationTests.ClockFactory>
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

    private const int VerificationCodesMax = Abono.Web.Features.Portal.VerificationCodes.MaxAttempts;
}
