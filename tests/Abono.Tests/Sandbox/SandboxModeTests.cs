using Abono.Web.Features.Collections;
using Abono.Web.Gateways;
using Abono.Web.Features.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Abono.Tests.Sandbox;

/// <summary>
/// The Pasarela de prueba moves fake money, so where real debts live it does not exist: no routes, not offered,
/// existing methods switched off; a demo deployment that turns it on gets test payments that pay no document.
/// </summary>
public class SandboxModeTests
{
    [Fact]
    public void In_Production_the_sandbox_is_off_unless_a_demo_deployment_turns_it_on_and_even_then_moves_no_balance()
    {
        var production = new HostingEnvironmentStub(Environments.Production);
        Assert.Equal(new SandboxMode(false, false), SandboxMode.From(Config(), production));
        Assert.Equal(new SandboxMode(true, false), SandboxMode.From(Config(("Sandbox:Enabled", "true")), production));
        Assert.Equal(new SandboxMode(true, true), SandboxMode.From(Config(), new HostingEnvironmentStub(Environments.Development)));
    }

    [Fact]
    public async Task Where_the_sandbox_does_not_exist_its_page_is_gone_it_is_not_offered_and_existing_methods_are_switched_off_with_a_note()
    {
        await using var before = new AbonoFactory();
        var s = await PortalScenario.CreateAsync(before, documents: 1);
        var sandboxPage = (await s.PayAsync(await s.IdentifiedPayerAsync(), decision: "none")).Url;

        await using var after = new SandboxOff(before);
        var merchant = await Merchant.SignInAsync(after, s.Merchant);
        Assert.False(after.Services.GetRequiredService<SandboxMode>().Enabled);
        Assert.Contains("/sandbox/pagar/", sandboxPage);
        // No route at all: signed in, a 404 (anonymous visitors meet the sign-in page, as for any unknown URL).
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await merchant.Client.Http.GetAsync(sandboxPage)).StatusCode);

        var methods = await merchant.Client.GetAsync("/configuracion/medios-de-pago");
        Assert.Contains("La pasarela de prueba no está disponible en producción", methods.Text);
        Assert.Null(methods.Document.QuerySelector("a[href='/configuracion/medios-de-pago/nuevo/prueba']"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await merchant.Client.Http.GetAsync("/configuracion/medios-de-pago/nuevo/prueba")).StatusCode);
        await using (var scope = after.ScopeFor(s.Merchant.CompanyId))
        {
            var method = await scope.Db.PaymentMethods.SingleAsync(m => m.Kind == GatewayKind.Sandbox);
            Assert.False(method.IsActive || method.EnabledInPortal);
        }

        var payer = await s.With(merchant).IdentifiedPayerAsync();
        var portal = await payer.GetAsync($"/portal/{s.Code}/documentos");
        Assert.DoesNotContain("Pasarela de prueba", portal.Text);
    }

    [Fact]
    public async Task Where_the_sandbox_moves_no_balances_its_payment_is_marked_modo_de_prueba_and_pays_no_document()
    {
        await using var factory = new DemoSandbox();
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var receipt = await s.PayAsync(await s.IdentifiedPayerAsync());

        Assert.NotNull(receipt.Document.QuerySelector("[data-testid=test-mode]"));
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        var payment = await scope.Db.Payments.Include(p => p.Allocations).SingleAsync();
        Assert.True(payment.IsTest);
        Assert.Empty(payment.Allocations);
        Assert.Equal(0, payment.CreditAmount);
        Assert.Equal(11_900, (await scope.Db.Documents.SingleAsync()).Balance);
        Assert.Equal(2, await scope.Db.Outbox.CountAsync(m => m.Payload.Contains("MODO DE PRUEBA")));
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private sealed class HostingEnvironmentStub(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Abono.Web";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    /// <summary>The same database, restarted where the sandbox does not exist (the platform collects with Webpay).</summary>
    private sealed class SandboxOff(AbonoFactory before) : AbonoFactory(before)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Sandbox:Enabled", "false");
            builder.UseSetting("Platform:Gateway", "Webpay");
        }
    }

    /// <summary>A demo deployment: the sandbox exists but, as in Production, moves no balances.</summary>
    private sealed class DemoSandbox : AbonoFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(new SandboxMode(true, MovesBalances: false)));
        }
    }
}
