using System.Text;
using Abono.Web.Data;
using Abono.Web.Gateways;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments.Inbox;

/// <summary>
/// POST /webhooks/{gateway}/{key}: reads the raw body, verifies the signature with the credentials the key names,
/// stores the event in the inbox (a duplicate finds its row already there) and only then answers 200. Nothing is
/// processed here: the provider gets its answer fast (Mercado Pago waits 22 s at most) and processing retries.
/// </summary>
public static class WebhookReceiver
{
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapGatewayWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{gateway}/{key}", ReceiveAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription()
            .AddEndpointFilter(MalformedIsBadRequestAsync);
        return app;
    }

    /// <summary>A correctly signed webhook whose body the gateway cannot read: 400 and stored nowhere (not a 500, not a 401).</summary>
    private static async ValueTask<object?> MalformedIsBadRequestAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        try
        {
            return await next(invocation);
        }
        catch (GatewayWebhookMalformedException ex)
        {
            invocation.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookReceiver))
                .LogWarning(ex, "Refused a signed webhook whose body is not a readable event ({Path}).", invocation.HttpContext.Request.Path);
            return Results.BadRequest();
        }
    }

    private static async Task<IResult> ReceiveAsync(string gateway, string key, HttpRequest request, AbonoDbContext db, GatewayRegistry gateways,
        GatewayContexts contexts, InboxSignal signal, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(WebhookReceiver));
        if (int.TryParse(gateway, out _) || !Enum.TryParse<GatewayKind>(gateway, ignoreCase: true, out var kind)
            || !gateways.Has(kind) || !gateways.Get(kind).Capabilities.HasFlag(GatewayCapabilities.Webhooks))
        {
            return Results.NotFound();
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        var rawBody = await ReadBodyAsync(request, ct);
        if (rawBody is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        if (rawBody.Length == 0 && request.HasFormContentType)
        {
            // A form post (Flow's unsigned confirmation: token=...) was already read by the hostile-input check, which
            // leaves only the parsed form. No provider signs a form body, so its re-encoding serves as the body.
            var form = await request.ReadFormAsync(ct);
            rawBody = string.Join("&", form.SelectMany(f => f.Value.Select(v => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(v ?? ""))));
        }
        var context = await contexts.ForWebhookAsync(kind, key, ct);
        if (context is null)
        {
            logger.LogWarning("Rejected a {Gateway} webhook for an unknown key.", kind);
            return Results.Unauthorized();
        }
        var incoming = new WebhookRequest(rawBody,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()));
        var gatewayAdapter = gateways.Get(kind);
        var now = clock.GetUtcNow().UtcDateTime;
        var webhook = gatewayAdapter.VerifyWebhook(context, incoming);
        if (webhook is null && gatewayAdapter.Capabilities.HasFlag(GatewayCapabilities.WebhookHints))
        {
            // Unsigned or unverifiable (no secret configured in the provider's panel, a per-payment notification_url
            // delivery): never trusted, but it may still make us read the resource at the provider with the method's
            // own credentials — deduplicated per resource and window, and capped per method.
            switch (gatewayAdapter.ReadUnverifiedHint(incoming))
            {
                case null:
                    return Results.BadRequest();
                case { ResourceId.Length: 0 }:
                    return Results.Ok();   // a topic we do not act on (merchant orders, QR): acknowledged, nothing to read
                case { } hint:
                    if (await RecentHintsAsync(db, kind, key, now, ct) >= HintsPerMinute)
                    {
                        logger.LogWarning("Too many unverified {Gateway} notifications for {Key}; answered 429.", kind, key);
                        return Results.StatusCode(StatusCodes.Status429TooManyRequests);
                    }
                    webhook = hint with { EventId = HintEventId(hint.ResourceId, now) };
                    break;
            }
        }
        if (webhook is null || webhook.EventId.Length is 0 or > 200)
        {
            logger.LogWarning("Rejected a {Gateway} webhook with a missing or invalid signature.", kind);
            return Results.Unauthorized();
        }
        var type = Cut(webhook.Type, 100);
        var resource = Cut(webhook.ResourceId, 200);
        // A duplicate (a provider retry, a replay) meets the unique key and inserts nothing: not an error, just a 200.
        var stored = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "InboxEvents" ("Gateway", "EventId", "WebhookKey", "Type", "ResourceId", "Body", "ReceivedAt", "NextAttemptAt", "Attempts")
            VALUES ({(int)kind}, {webhook.EventId}, {key}, {type}, {resource}, {rawBody}, {now}, {now}, 0)
            ON CONFLICT ("Gateway", "EventId") DO NOTHING
            """, ct);
        if (stored == 1)
        {
            signal.Notify();
        }
        else
        {
            logger.LogInformation("Duplicate {Gateway} webhook {EventId}; already stored.", kind, webhook.EventId);
        }
        return Results.Ok();
    }

    /// <summary>Unverified notifications stored per method and minute at most; past it the provider retries later.</summary>
    public const int HintsPerMinute = 30;

    /// <summary>One stored hint per resource per five minutes: repeating it cannot make us ask the provider more often.</summary>
    public static readonly TimeSpan HintWindow = TimeSpan.FromMinutes(5);

    private static string HintEventId(string resourceId, DateTime now) =>
        $"hint:{resourceId}:{now.Ticks / HintWindow.Ticks}";

    private static Task<int> RecentHintsAsync(AbonoDbContext db, GatewayKind kind, string key, DateTime now, CancellationToken ct)
    {
        var since = now - TimeSpan.FromMinutes(1);
        return db.InboxEvents.CountAsync(e => e.Gateway == kind && e.WebhookKey == key && e.ReceivedAt > since && e.EventId.StartsWith("hint:"), ct);
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Cut(string value, int max) => value.Length > max ? value[..max] : value;
}
