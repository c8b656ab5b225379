using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Abono.Tests.Webhooks;

/// <summary>
/// Configuración → Webhooks says "URL (https)": in Production a receiver must be https, told in Spanish next to the
/// field; elsewhere (development, tests) plain http stays allowed for a public address.
/// </summary>
public sealed class WebhookHttpsTests
{
    /// <summary>A Production instance reached over https, with a scripted DNS.</summary>
    private sealed class ProductionHost : ProductionFactory
    {
        public ProductionHost() => ClientOptions.BaseAddress = new Uri("https://localhost");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IHostResolver, WebhookSsrfTests.ScriptedResolver>());
        }
    }

    /// <summary>The same app outside Production (the test environment), with the same scripted DNS.</summary>
    private sealed class NonProductionHost : AbonoFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IHostResolver, WebhookSsrfTests.ScriptedResolver>());
        }
    }

    private static Task<AppClient.Page> AddAsync(Merchant merchant, string url) =>
        merchant.Client.FillAsync("/configuracion/webhooks", new Dictionary<string, string?> { ["ReceiverUrl"] = url });

    [PostgresFact]
    public async Task In_production_an_http_receiver_is_refused_with_a_spanish_message_next_to_the_field_and_https_is_saved()
    {
        await using var production = new ProductionHost();
        var merchant = await Merchant.SignUpAsync(production);

        var refused = await AddAsync(merchant, "http://receptor.example/abono/webhooks");
        Assert.Equal("La URL debe empezar con https://: los webhooks llevan datos de pagos y no pueden viajar sin cifrar.", refused.FieldError("ReceiverUrl"));
        Assert.Equal("true", refused.Document.QuerySelector("[name=ReceiverUrl]")!.GetAttribute("aria-invalid"));
        Assert.Null(refused.Document.QuerySelector("[data-testid=webhook-secret]"));
        await using (var scope = production.ScopeFor(merchant.CompanyId))
        {
            Assert.Equal(0, await scope.Db.WebhookEndpoints.CountAsync());
        }

        var saved = await AddAsync(merchant, "https://receptor.example/abono/webhooks");
        Assert.Null(saved.FieldError("ReceiverUrl"));
        Assert.NotNull(saved.Document.QuerySelector("[data-testid=webhook-secret]"));
        await using (var scope = production.ScopeFor(merchant.CompanyId))
        {
            Assert.Equal("https://receptor.example/abono/webhooks", (await scope.Db.WebhookEndpoints.SingleAsync()).Url);
        }
    }

    [Fact]
    public async Task Outside_production_a_plain_http_receiver_at_a_public_address_is_still_accepted()
    {
        await using var host = new NonProductionHost();
        var merchant = await Merchant.SignUpAsync(host);

        var saved = await AddAsync(merchant, "http://receptor.example/abono/webhooks");

        Assert.Null(saved.FieldError("ReceiverUrl"));
        Assert.NotNull(saved.Document.QuerySelector("[data-testid=webhook-secret]"));
        // The address rule holds here too: only the scheme is relaxed.
        var local = await AddAsync(merchant, "http://localhost:8080/webhooks");
        Assert.Equal(OutboundUrlGuard.Refused, local.FieldError("ReceiverUrl"));
    }
}
