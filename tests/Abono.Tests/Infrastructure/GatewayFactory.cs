using Abono.FakeGateways;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Abono.Tests.Infrastructure;

/// <summary>
/// The app pointed at the local fake Webpay, Mercado Pago and Stripe (real Kestrel, real HTTP), with one fake clock
/// shared by both so signatures, expiries and the reconciliation schedule can be moved together.
/// </summary>
public class GatewayFactory : AbonoFactory
{

    public GatewayFactory()
    {
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Fakes = FakeGatewayServer.StartAsync(clock: Clock).GetAwaiter().GetResult();
    }

    /// <summary>The app restarted (or a second instance) on the same database, fakes and clock.</summary>
    public static GatewayFactory RestartOf(GatewayFactory stopped) => new Restarted(stopped);

    protected GatewayFactory(GatewayFactory restartOf) : base(restartOf)
    {
        Clock = restartOf.Clock;
        Fakes = restartOf.Fakes;
        restartOf.KeepFakes = true;
    }

    public bool KeepFakes { get; set; }

    /// <summary>Stops this app instance only: its database and the fakes stay for the next instance.</summary>
    public async Task StopAsync()
    {
        KeepDatabase = true;
        KeepFakes = true;
        await DisposeAsync();
    }

    public FakeTimeProvider Clock { get; }

    public FakeGatewayServer Fakes { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var fake = Fakes.BaseUrl.ToString().TrimEnd('/');
        builder.UseSetting("Gateways:Webpay:BaseUrl", fake);
        builder.UseSetting("Gateways:MercadoPago:BaseUrl", fake);
        builder.UseSetting("Gateways:Stripe:BaseUrl", fake);
        builder.UseSetting("Gateways:Khipu:BaseUrl", fake);
        builder.UseSetting("Gateways:Flow:BaseUrl", fake + "/api");
        builder.UseSetting("Gateways:Fintoc:BaseUrl", fake + "/fintoc");
        // Generous: a busy machine must not turn a slow answer into a timeout. Tests make "no answer" with a fault that
        // drops the connection, not by waiting.
        builder.UseSetting("Gateways:TimeoutSeconds", "60");
        builder.UseSetting("App:BaseUrl", "http://localhost");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Webhooks the fakes send go into this in-memory app (call once the server exists).</summary>
    public void RouteWebhooksToApp() => Fakes.State.WebhookHandler = Server.CreateHandler();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!KeepFakes)
        {
            await Fakes.DisposeAsync();
        }
    }

    private sealed class Restarted(GatewayFactory stopped) : GatewayFactory(stopped);
}
