using System.Net;
using Abono.Web.Features.Webhooks;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Abono.Tests.Webhooks;

/// <summary>
/// Webhooks as an SSRF probe: with open sign-up any company could aim Abono at loopback, the private network or the
/// cloud metadata address and read the answer's status in the delivery log. The guard is on here, as in Production.
/// </summary>
public sealed class WebhookSsrfTests(WebhookSsrfTests.GuardedFactory factory) : IClassFixture<WebhookSsrfTests.GuardedFactory>
{
    /// <summary>
    /// A DNS with names for the tests: a public one, private ones, and one that answers public first and loopback
    /// afterwards (DNS rebinding). Anything else goes to the machine's resolver.
    /// </summary>
    public sealed class ScriptedResolver : IHostResolver
    {
        private readonly DnsHostResolver _real = new();
        private int _rebindCalls;

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => host switch
        {
            "receptor.example" => Answer("8.8.8.8"),
            "intranet.example" => Answer("10.1.2.3"),
            "loopback.example" => Answer("127.0.0.1"),
            "mixto.example" => Answer("8.8.8.8", "127.0.0.1"),
            "rebind.example" => Answer(Interlocked.Increment(ref _rebindCalls) == 1 ? "8.8.8.8" : "127.0.0.1"),
            _ => _real.ResolveAsync(host, ct),
        };

        private static Task<IPAddress[]> Answer(params string[] addresses) => Task.FromResult(addresses.Select(IPAddress.Parse).ToArray());
    }

    /// <summary>The app with the guard on (private addresses refused), a scripted DNS and a receiver on loopback.</summary>
    public sealed class GuardedFactory : AbonoFactory
    {
        private readonly WebApplication _receiver;
        private int _hits;

        public GuardedFactory()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _receiver = builder.Build();
            // What an internal service would answer; reaching it at all is the failure.
            _receiver.Map("/{**path}", () =>
            {
                Interlocked.Increment(ref _hits);
                return Results.Ok("secreto interno");
            });
            _receiver.StartAsync().GetAwaiter().GetResult();
            ReceiverPort = new Uri(_receiver.Urls.First()).Port;
        }

        public int ReceiverHits => Volatile.Read(ref _hits);
        public int ReceiverPort { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IHostResolver, ScriptedResolver>());
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await _receiver.DisposeAsync();
        }
    }

    private static Task<AppClient.Page> AddAsync(Merchant merchant, string url) =>
        merchant.Client.FillAsync("/configuracion/webhooks", new Dictionary<string, string?> { ["ReceiverUrl"] = url });

    [Fact]
    public async Task A_receiver_on_a_non_public_address_is_refused_next_to_the_field_and_nothing_is_saved()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        string[] refused =
        [
            "http://127.0.0.1/", $"http://127.0.0.1:{factory.ReceiverPort}/hooks", "http://localhost", "http://localhost.:8080/",
            "http://169.254.169.254/latest/meta-data", "http://10.0.0.5", "http://192.168.0.10/", "http://100.64.0.1/",
            "http://[::1]", "http://[::ffff:127.0.0.1]/", "http://[fd00:ec2::254]/", "http://0x7f000001", "http://2130706433",
            "http://0177.0.0.1/", "http://0.0.0.0/", "http://loopback.example/", "http://intranet.example/hooks",
            "http://mixto.example/", "http://receptor.example@127.0.0.1/", "http://usuario:clave@receptor.example/",
        ];
        foreach (var url in refused)
        {
            var page = await AddAsync(merchant, url);
            Assert.True(page.FieldError("ReceiverUrl") == OutboundUrlGuard.Refused, $"{url}: {page.FieldError("ReceiverUrl") ?? "no message next to the field"}");
            Assert.Equal("true", page.Document.QuerySelector("[name=ReceiverUrl]")!.GetAttribute("aria-invalid"));
            Assert.Null(page.Document.QuerySelector("[data-testid=webhook-secret]"));
        }
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            Assert.Equal(0, await scope.Db.WebhookEndpoints.CountAsync());
        }

        // The guard is not refusing everything: a name with a public answer is saved.
        var saved = await AddAsync(merchant, "https://receptor.example/abono/webhooks");
        Assert.Null(saved.FieldError("ReceiverUrl"));
        Assert.NotNull(saved.Document.QuerySelector("[data-testid=webhook-secret]"));
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            Assert.Equal("https://receptor.example/abono/webhooks", (await scope.Db.WebhookEndpoints.SingleAsync()).Url);
        }
    }

    private async Task<WebhookDelivery> DeliverOneAsync(Merchant merchant)
    {
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            await scope.Get<Abono.Web.Features.Webhooks.Webhooks>().QueueAsync(scope.Db, WebhookEvents.PaymentSucceeded, new { amount = 1000 }, DateTime.UtcNow, default);
        }
        await factory.Services.GetRequiredService<OutboxRelay>().RunOnceAsync();
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            return await scope.Db.WebhookDeliveries.SingleAsync();
        }
    }

    [Fact]
    public async Task A_name_that_rebinds_to_loopback_after_the_save_is_refused_at_connect_and_logged_generically()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var hitsBefore = factory.ReceiverHits;
        var url = $"http://rebind.example:{factory.ReceiverPort}/hooks";
        var saved = await AddAsync(merchant, url);
        Assert.NotNull(saved.Document.QuerySelector("[data-testid=webhook-secret]"));   // first answer: 8.8.8.8

        var delivery = await DeliverOneAsync(merchant);   // second answer: 127.0.0.1, where the receiver listens

        Assert.Equal(hitsBefore, factory.ReceiverHits);
        Assert.Null(delivery.LastStatusCode);
        Assert.Null(delivery.DeliveredAt);
        Assert.Equal(OutboundUrlGuard.RefusedAtConnect, delivery.LastError);
        var log = await merchant.Client.GetAsync("/configuracion/webhooks");
        Assert.Contains(OutboundUrlGuard.RefusedAtConnect, log.Text);
        Assert.DoesNotContain("127.0.0.1", log.Text);
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            var message = await scope.Db.Outbox.SingleAsync(m => m.Kind == Abono.Web.Features.Webhooks.Webhooks.OutboxKind && m.Payload == delivery.Id.ToString());
            Assert.Equal(OutboundUrlGuard.RefusedAtConnect, message.LastError);   // the retry queue keeps no network details either
        }
        // The operator's log says what happened.
        Assert.Contains(factory.Logs.Lines, l => l.Contains("Refused outbound connection to rebind.example") && l.Contains("127.0.0.1"));
    }

    [Fact]
    public async Task A_receiver_saved_before_the_guard_existed_is_refused_at_connect()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var hitsBefore = factory.ReceiverHits;
        await using (var scope = factory.ScopeFor(merchant.CompanyId))
        {
            // As an old row would be: straight into the table, never through the page's check.
            var (endpoint, _) = scope.Get<Abono.Web.Features.Webhooks.Webhooks>().NewEndpoint($"http://127.0.0.1:{factory.ReceiverPort}/hooks", DateTime.UtcNow);
            scope.Db.WebhookEndpoints.Add(endpoint);
            await scope.Db.SaveChangesAsync();
        }

        var delivery = await DeliverOneAsync(merchant);

        Assert.Equal(hitsBefore, factory.ReceiverHits);
        Assert.Null(delivery.LastStatusCode);
        Assert.Equal(OutboundUrlGuard.RefusedAtConnect, delivery.LastError);
    }
}
