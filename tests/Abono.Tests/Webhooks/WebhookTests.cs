using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Abono.Web.Platform.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Abono.Tests.Webhooks;

/// <summary>
/// Outgoing webhooks to a real HTTP receiver that verifies them exactly as the documentation says. It listens on
/// loopback, so this app lets private addresses through; <see cref="WebhookSsrfTests"/> covers the guard itself.
/// </summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private readonly AbonoFactory _factory = new LocalReceiverFactory();
    private int _internalHits;
    private WebApplication _receiver = null!;
    private string _receiverUrl = "";
    private readonly ConcurrentQueue<(string EventId, string Type, string Body, string Signature)> _received = new();
    private readonly ConcurrentDictionary<string, int> _failFirst = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/hooks", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var eventId = request.Headers["Abono-Event-Id"].ToString();
            // The first attempt of every event fails, to prove retries.
            if (_failFirst.AddOrUpdate(eventId, 1, (_, n) => n + 1) == 1)
            {
                return Results.StatusCode(503);
            }
            _received.Enqueue((eventId, request.Headers["Abono-Event-Type"].ToString(), body, request.Headers["Abono-Signature"].ToString()));
            return Results.Ok();
        });
        // Redirects to a URL the guard would refuse: following it would bypass every check.
        _receiver.MapPost("/redirect", () => Results.Redirect(_receiver.Urls.First() + "/internal"));
        _receiver.Map("/internal", () =>
        {
            Interlocked.Increment(ref _internalHits);
            return Results.Ok("secreto interno");
        });
        // A failure whose body never ends, starting with what a real receiver would say.
        _receiver.MapPost("/endless", async (HttpContext context) =>
        {
            context.Response.StatusCode = 500;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Error\0 interno:\r\n\tinventario no disponible ");
            var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
            var giveUp = DateTime.UtcNow.AddSeconds(30);
            try
            {
                // Until the sender hangs up (Kestrel signals it through RequestAborted), or well past its timeout.
                while (!context.RequestAborted.IsCancellationRequested && DateTime.UtcNow < giveUp)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
            }
        });
        await _receiver.StartAsync();
        _receiverUrl = _receiver.Urls.First() + "/hooks";
    }

    private static bool Verify(string secret, string header, string body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{body}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["v1"]))
            && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(parts["t"])) < 300;
    }

    [Fact]
    public async Task A_portal_payment_reaches_the_receiver_signed_retried_after_failure_and_once_per_event()
    {
        var s = await PortalScenario.CreateAsync(_factory, documents: 2);
        var added = await s.Merchant.Client.FillAsync("/configuracion/webhooks", new Dictionary<string, string?> { ["ReceiverUrl"] = _receiverUrl });
        var secret = added.Document.QuerySelector("[data-testid=webhook-secret]")!.GetAttribute("value")!;
        Assert.StartsWith("whsec_", secret);

        var payer = await s.IdentifiedPayerAsync();
        await s.PayAsync(payer);

        var relay = _factory.Services.GetRequiredService<OutboxRelay>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => relay.RunOnceAsync())));
        Assert.Empty(_received);   // every first attempt was refused by the receiver

        await using (var scope = _factory.ScopeFor(s.Merchant.CompanyId))
        {
            var deliveries = await scope.Db.WebhookDeliveries.ToListAsync();
            Assert.Equal(3, deliveries.Count);   // payment.succeeded + document.paid × 2
            Assert.All(deliveries, d => Assert.Equal(503, d.LastStatusCode));
            await scope.Db.Outbox.Where(m => m.Kind == "webhook").ExecuteUpdateAsync(x => x.SetProperty(m => m.NextAttemptAt, DateTime.UtcNow.AddSeconds(-1)));
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => relay.RunOnceAsync())));

        var received = _received.ToList();
        Assert.Equal(3, received.Count);
        Assert.Equal(3, received.Select(r => r.EventId).Distinct().Count());
        Assert.Equal(["document.paid", "document.paid", "payment.succeeded"], received.Select(r => r.Type).Order());
        Assert.All(received, r => Assert.True(Verify(secret, r.Signature, r.Body), "signature does not verify"));
        Assert.False(Verify(secret, received[0].Signature, received[0].Body + " "));
        var payment = received.Single(r => r.Type == "payment.succeeded");
        using var json = JsonDocument.Parse(payment.Body);
        Assert.Equal(35_700, json.RootElement.GetProperty("data").GetProperty("amount").GetInt64());

        var log = await s.Merchant.Client.GetAsync("/configuracion/webhooks");
        Assert.Contains("Entregado (200)", log.Text);
        await s.Merchant.Client.SubmitAsync(log, new Dictionary<string, string?>(), button: "form[action*='handler=Resend'] button");
        await relay.RunOnceAsync();
        Assert.Equal(4, _received.Count);   // Reenviar sends the same event again (same id)
        Assert.Equal(3, _received.Select(r => r.EventId).Distinct().Count());
    }

    /// <summary>Adds a receiver through the page and queues one event for it, as a payment would.</summary>
    private async Task<Merchant> QueueToAsync(string path)
    {
        var merchant = await Merchant.SignUpAsync(_factory);
        var added = await merchant.Client.FillAsync("/configuracion/webhooks", new Dictionary<string, string?> { ["ReceiverUrl"] = _receiver.Urls.First() + path });
        Assert.NotNull(added.Document.QuerySelector("[data-testid=webhook-secret]"));
        await using var scope = _factory.ScopeFor(merchant.CompanyId);
        await scope.Get<Abono.Web.Features.Webhooks.Webhooks>().QueueAsync(scope.Db, "payment.succeeded", new { amount = 1000 }, DateTime.UtcNow, default);
        return merchant;
    }

    private async Task<Abono.Web.Features.Webhooks.WebhookDelivery> DeliveryOfAsync(Merchant merchant)
    {
        await using var scope = _factory.ScopeFor(merchant.CompanyId);
        return await scope.Db.WebhookDeliveries.SingleAsync();
    }

    [Fact]
    public async Task A_redirect_is_recorded_as_the_answer_and_never_followed()
    {
        var merchant = await QueueToAsync("/redirect");
        await _factory.Services.GetRequiredService<OutboxRelay>().RunOnceAsync();

        var delivery = await DeliveryOfAsync(merchant);
        Assert.Equal(302, delivery.LastStatusCode);
        Assert.Null(delivery.DeliveredAt);
        Assert.StartsWith("El receptor respondió 302", delivery.LastError);
        Assert.Equal(0, _internalHits);
    }

    [Fact]
    public async Task Of_an_endless_failed_answer_only_a_short_clean_excerpt_is_read_and_kept()
    {
        var merchant = await QueueToAsync("/endless");
        await _factory.Services.GetRequiredService<OutboxRelay>().RunOnceAsync();

        var delivery = await DeliveryOfAsync(merchant);
        Assert.Equal(500, delivery.LastStatusCode);
        Assert.StartsWith("El receptor respondió 500: Error interno: inventario no disponible xxx", delivery.LastError);
        Assert.True(delivery.LastError!.Length <= 300, $"{delivery.LastError.Length} characters kept");
        Assert.DoesNotContain(delivery.LastError, c => char.IsControl(c));
        // Reading the whole (endless) body would have ended in the client's timeout, recorded as no answer at all:
        // the recorded 500 and its excerpt show the sender stopped reading early. (No timing assertion: see README.)
        var log = await merchant.Client.GetAsync("/configuracion/webhooks");
        Assert.Contains("inventario no disponible", log.Text);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }
}
