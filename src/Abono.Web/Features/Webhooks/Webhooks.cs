using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Abono.Web.Data;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Security;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Webhooks;

/// <summary>
/// Outgoing webhooks. Events are queued with the business change (same transaction) as one delivery per active
/// endpoint plus an outbox message; the outbox relay sends them, so failures retry with backoff and N instances
/// never send one delivery twice at once.
///
/// Signature (documented for receivers): header <c>Abono-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c> where hex is
/// lowercase HMAC-SHA256 with the endpoint's secret (UTF-8) as key over <c>t + "." + raw body</c>. Receivers should
/// compare in constant time, reject timestamps older than 5 minutes, and de-duplicate on <c>Abono-Event-Id</c>.
/// </summary>
public sealed class Webhooks(IDataProtectionProvider protection)
{
    public const string OutboxKind = "webhook";
    private readonly IDataProtector _protector = protection.CreateProtector("Abono.Webhooks.Secrets.v1");

    public (WebhookEndpoint Endpoint, string Secret) NewEndpoint(string url, DateTime now)
    {
        var secret = "whsec_" + TokenFactory.CreatePublicCode() + TokenFactory.CreatePublicCode();
        return (new WebhookEndpoint { Url = url, SecretProtected = _protector.Protect(secret), CreatedAt = now }, secret);
    }

    public string Secret(WebhookEndpoint endpoint) => _protector.Unprotect(endpoint.SecretProtected);

    /// <summary>Queues an event for every active endpoint of the scope's company (call inside the business transaction).</summary>
    public async Task QueueAsync(AbonoDbContext db, string type, object data, DateTime now, CancellationToken ct) =>
        await QueueAsync(db, await ActiveEndpointsAsync(db, ct), type, data, now, ct);

    /// <summary>The scope's company's active endpoints, for code that queues several events in one transaction.</summary>
    public static Task<List<long>> ActiveEndpointsAsync(AbonoDbContext db, CancellationToken ct) =>
        Collections.PendingDocuments.ToListAsync(ActiveEndpointIds(db), ct);

    /// <summary>Read in every confirmation: compiled once (the tenant's filter applies).</summary>
    private static readonly Func<AbonoDbContext, IAsyncEnumerable<long>> ActiveEndpointIds =
        EF.CompileAsyncQuery((AbonoDbContext db) => db.WebhookEndpoints.AsNoTracking().Where(e => e.IsActive).Select(e => e.Id));

    /// <summary>Queues an event for the given endpoints (from <see cref="ActiveEndpointsAsync"/> in the same transaction).</summary>
    public async Task QueueAsync(AbonoDbContext db, IReadOnlyList<long> endpoints, string type, object data, DateTime now, CancellationToken ct)
    {
        if (endpoints.Count == 0)
        {
            return;
        }
        var eventId = Guid.CreateVersion7();
        var payload = JsonSerializer.Serialize(new { id = eventId, type, created = now, data }, JsonSerializerOptions.Web);
        foreach (var endpoint in endpoints)
        {
            var delivery = new WebhookDelivery { EndpointId = endpoint, EventId = eventId, EventType = type, Payload = payload, CreatedAt = now };
            db.WebhookDeliveries.Add(delivery);
            await db.SaveChangesAsync(ct);
            db.Outbox.Add(Message(db.CurrentCompanyId, delivery.Id, now));
        }
        await db.SaveChangesAsync(ct);
    }

    public static OutboxMessage Message(Guid companyId, long deliveryId, DateTime now) => new()
    {
        CompanyId = companyId,
        Kind = OutboxKind,
        Payload = deliveryId.ToString(CultureInfo.InvariantCulture),
        CreatedAt = now,
        NextAttemptAt = now,
    };

    public static string Sign(string secret, long timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}

/// <summary>Sends one delivery for the outbox relay; a non-2xx answer throws so the relay retries it.</summary>
public sealed class WebhookSender(IServiceScopeFactory scopes, IHttpClientFactory httpClients, Webhooks webhooks, TimeProvider clock)
{
    public const string HttpClientName = "webhooks";

    /// <summary>Of a failed answer's body, for the delivery log (LastError holds 300 with the status text).</summary>
    public const int MaxExcerptChars = 200;

    public async Task SendAsync(long deliveryId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var delivery = await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == deliveryId, ct);
        if (delivery.DeliveredAt is not null)
        {
            return;
        }
        var endpoint = await db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking().SingleAsync(e => e.Id == delivery.EndpointId, ct);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Abono-Signature", $"t={timestamp},v1={Webhooks.Sign(webhooks.Secret(endpoint), timestamp, delivery.Payload)}");
        request.Headers.Add("Abono-Event-Id", delivery.EventId.ToString());
        request.Headers.Add("Abono-Event-Type", delivery.EventType);
        int? status = null;
        string? error = null;
        // The client's Timeout stops at the headers; this one also bounds reading the excerpt.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(OutboundUrlGuard.TotalTimeout);
        try
        {
            // Headers only: the body is read by ExcerptAsync, a few KiB at most, however much the receiver sends.
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                // A 3xx is a failure too: redirects are not followed (they could point anywhere, the guard included).
                var excerpt = await OutboundUrlGuard.ExcerptAsync(response, MaxExcerptChars, timeout.Token);
                error = excerpt is null ? $"El receptor respondió {status}." : $"El receptor respondió {status}: {excerpt}";
            }
        }
        catch (Exception ex) when (OutboundUrlGuard.IsRefused(ex))
        {
            error = OutboundUrlGuard.RefusedAtConnect;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            error = "No se pudo conectar con el receptor.";
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WebhookDeliveries.IgnoreQueryFilters().Where(d => d.Id == deliveryId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.LastStatusCode, status)
                .SetProperty(d => d.LastError, error).SetProperty(d => d.DeliveredAt, d => error == null ? now : d.DeliveredAt), ct);
        if (error is not null)
        {
            throw new HttpRequestException(error);
        }
    }
}
