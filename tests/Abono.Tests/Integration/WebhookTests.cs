using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Abono.Web.Platform.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Abono.Tests.Integration;

/// <summary>Outgoing webhooks to a real HTTP receiver that verifies them exactly as the documentation says.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private readonly AbonoFactory _factory = new();
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

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }
}
