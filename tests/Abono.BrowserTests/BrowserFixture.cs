using Abono.FakeGateways;
using Abono.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>The app on a real Kestrel port with the demo company, and Debian's headless Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly DemoAppFactory _factory = new();
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The app itself, to arrange data through its real pages over HTTP (see PortalScenario).</summary>
    public AbonoFactory Factory => _factory;
    public string BaseUrl { get; private set; } = "";

    /// <summary>Fake Webpay, Mercado Pago and Stripe on their own port: the browser really goes there and back.</summary>
    public FakeGatewayServer Fakes { get; private set; } = null!;

    /// <summary>The mail server the app sends to, over real SMTP; <see cref="EmailAsync"/> reads what arrived.</summary>
    public SmtpTestServer Smtp { get; } = new();

    public async Task InitializeAsync()
    {
        // Waits are bounds, not what a journey checks: on a busy two-core machine (both test passes, PostgreSQL and
        // Chromium sharing it) a page can take longer than Playwright's 5 s and our 15 s defaults (CI once timed out here).
        Assertions.SetDefaultExpectTimeout(60_000);
        Fakes = await FakeGatewayServer.StartAsync();
        _factory.GatewaysAt = Fakes.BaseUrl;
        _factory.SmtpPort = Smtp.Port;
        // The app's own address is configuration (App:BaseUrl), never the request's Host: pick the port first so the
        // return URLs and the Pasarela de prueba's page point where the browser really finds the app.
        var port = FreePort();
        BaseUrl = $"http://localhost:{port}";
        _factory.AppBaseUrl = BaseUrl;
        _factory.UseKestrel(port);
        _factory.StartServer();
        _factory.ClientOptions.BaseAddress = new Uri(BaseUrl);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="phone">390×844 touch screen, as payers open links; otherwise a 1280×900 desktop.</param>
    /// <param name="javaScript">False: the page as a browser without scripts sees it (progressive enhancement).</param>
    public async Task<IPage> NewPageAsync(bool phone = false, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "es-CL",
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
            JavaScriptEnabled = javaScript,
        });
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// The newest email to <paramref name="to"/> whose subject contains <paramref name="subject"/>, once the outbox relay
    /// (a background job, off in tests) has sent what is queued to <see cref="Smtp"/>.
    /// </summary>
    public async Task<MimeKit.MimeMessage> EmailAsync(string to, string subject)
    {
        var relay = _factory.Services.GetRequiredService<Abono.Web.Platform.Outbox.OutboxRelay>();
        while (await relay.RunOnceAsync() > 0)
        {
        }
        bool Matches(MimeKit.MimeMessage m) =>
            m.To.Mailboxes.Any(a => a.Address == to) && (m.Subject ?? "").Contains(subject, StringComparison.Ordinal);
        await Smtp.WaitForAsync(Matches);
        return Smtp.Messages.Last(Matches);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await _factory.DisposeAsync();
        await Fakes.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    private sealed class DemoAppFactory : AbonoFactory
    {
        protected override bool SeedDemo => true;

        protected override bool RoutesSelfCallsInMemory => false;

        public Uri? GatewaysAt { get; set; }

        public string AppBaseUrl { get; set; } = "";

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("App:BaseUrl", AppBaseUrl);
            var fakes = GatewaysAt!.ToString().TrimEnd('/');
            foreach (var gateway in new[] { "Webpay", "MercadoPago", "Stripe", "Khipu" })
            {
                builder.UseSetting($"Gateways:{gateway}:BaseUrl", fakes);
            }
            // As in GatewayFactory: Flow's API lives under /api and Fintoc's fake under /fintoc on the fakes' host.
            builder.UseSetting("Gateways:Flow:BaseUrl", fakes + "/api");
            builder.UseSetting("Gateways:Fintoc:BaseUrl", fakes + "/fintoc");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
