using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Abono.FakeGateways;

public sealed class StripeSession
{
    public required string Id { get; init; }
    public required string SecretKey { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string SuccessUrl { get; init; }
    public required string CancelUrl { get; init; }
    public string? ClientReferenceId { get; init; }
    public required JsonObject Metadata { get; init; }
    public required long Created { get; init; }
    public required long ExpiresAt { get; init; }
    public string Status { get; set; } = "open";
    public string PaymentStatus { get; set; } = "unpaid";
    public string? PaymentIntent { get; set; }
    public long Refunded { get; set; }
}

/// <summary>
/// Stripe (T1-T6): Checkout Sessions (form-encoded, zero-decimal clp, expires_at 30 min-24 h), Idempotency-Key
/// replay, refunds, balance, the hosted page, and events signed with Stripe-Signature "t=..,v1=..".
/// </summary>
public static class StripeFake
{
    public const string ApiVersion = "2026-10-28.endive";

    public static void Map(WebApplication app, FakeState state)
    {
        app.MapPost("/v1/checkout/sessions", (HttpContext http, CancellationToken _) => Guarded(http, state, async key =>
        {
            var form = await http.Request.ReadFormAsync();
            return Idempotent(http, state, key, form, () =>
            {
                var currency = form["line_items[0][price_data][currency]"].ToString();
                if (form["mode"] != "payment")
                {
                    return Error(400, "invalid_request_error", "Missing required param: mode.", "mode");
                }
                if (currency != "clp")
                {
                    return Error(400, "invalid_request_error", "Invalid currency.", "line_items[0][price_data][currency]");
                }
                // clp is zero-decimal: unit_amount is whole pesos, an integer.
                if (!long.TryParse(form["line_items[0][price_data][unit_amount]"], NumberStyles.None, CultureInfo.InvariantCulture, out var unitAmount) || unitAmount < 1)
                {
                    return Error(400, "invalid_request_error", "Invalid integer: unit_amount.", "line_items[0][price_data][unit_amount]");
                }
                var quantity = long.TryParse(form["line_items[0][quantity]"], out var q) ? q : 1;
                var now = state.Clock.GetUtcNow().ToUnixTimeSeconds();
                var expiresAt = long.TryParse(form["expires_at"], out var e) ? e : now + 86_400;
                if (expiresAt < now + 1800 || expiresAt > now + 86_400)
                {
                    return Error(400, "invalid_request_error", "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.", "expires_at");
                }
                var metadata = new JsonObject();
                foreach (var field in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)))
                {
                    metadata[field.Key[9..^1]] = field.Value.ToString();
                }
                var session = new StripeSession
                {
                    Id = "cs_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), SecretKey = key, Amount = unitAmount * quantity, Currency = currency,
                    SuccessUrl = form["success_url"].ToString(), CancelUrl = form["cancel_url"].ToString(),
                    ClientReferenceId = form["client_reference_id"].ToString() is { Length: > 0 } r ? r : null, Metadata = metadata, Created = now, ExpiresAt = expiresAt,
                };
                lock (state.Gate)
                {
                    state.StripeSessions[session.Id] = session;
                }
                return (200, Describe(state, session).ToJsonString());
            });
        }));

        app.MapGet("/v1/checkout/sessions/{id}", (HttpContext http, string id) => Guarded(http, state, key =>
        {
            lock (state.Gate)
            {
                return Task.FromResult(state.StripeSessions.TryGetValue(id, out var session) && session.SecretKey == key
                    ? Results.Content(Describe(state, session).ToJsonString(), "application/json")
                    : Result(Error(404, "invalid_request_error", $"No such checkout.session: '{id}'", "id")));
            }
        }));

        app.MapPost("/v1/refunds", (HttpContext http, CancellationToken _) => Guarded(http, state, async key =>
        {
            var form = await http.Request.ReadFormAsync();
            return Idempotent(http, state, key, form, () =>
            {
                lock (state.Gate)
                {
                    var session = state.StripeSessions.Values.FirstOrDefault(s => s.PaymentIntent == form["payment_intent"].ToString() && s.SecretKey == key);
                    if (session is null)
                    {
                        return Error(404, "invalid_request_error", "No such payment_intent.", "payment_intent");
                    }
                    var amount = long.TryParse(form["amount"], out var a) ? a : session.Amount - session.Refunded;
                    if (amount < 1 || session.Refunded + amount > session.Amount)
                    {
                        return Error(400, "invalid_request_error", $"Refund amount ({amount}) is greater than unrefunded amount on charge.", "amount");
                    }
                    session.Refunded += amount;
                    return (200, new JsonObject
                    {
                        ["id"] = "re_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), ["object"] = "refund", ["amount"] = amount,
                        ["currency"] = "clp", ["payment_intent"] = session.PaymentIntent, ["status"] = "succeeded",
                        ["created"] = state.Clock.GetUtcNow().ToUnixTimeSeconds(),
                    }.ToJsonString());
                }
            });
        }));

        app.MapGet("/v1/balance", (HttpContext http, CancellationToken _) => Guarded(http, state, _ => Task.FromResult(Results.Content(new JsonObject
        {
            ["object"] = "balance", ["livemode"] = false,
            ["available"] = new JsonArray(new JsonObject { ["amount"] = 0, ["currency"] = "clp" }),
            ["pending"] = new JsonArray(new JsonObject { ["amount"] = 0, ["currency"] = "clp" }),
        }.ToJsonString(), "application/json"))));

        // The hosted Checkout page.
        app.MapGet("/c/pay/{id}", (string id) =>
        {
            StripeSession? session;
            lock (state.Gate)
            {
                state.StripeSessions.TryGetValue(id, out session);
            }
            if (session is null || Lapse(state, session).Status != "open")
            {
                return Results.Content(FakePages.Page("Stripe", "<h1>Esta sesión de pago ya no está disponible</h1>"), "text/html; charset=utf-8", statusCode: 404);
            }
            return Results.Content(FakePages.Page("Stripe Checkout (simulado)", $"""
                <h1>Stripe Checkout</h1>
                <p>Total: <strong>CLP {session.Amount.ToString("N0", CultureInfo.GetCultureInfo("es-CL"))}</strong></p>
                <form method="post" action="/c/pay/{id}">
                  <label for="card">Tarjeta</label>
                  <select id="card" name="card"><option value="4242424242424242">4242 4242 4242 4242 (aprobada)</option><option value="4000000000000002">4000 0000 0000 0002 (rechazada)</option></select>
                  <button type="submit" name="action" value="pay">Pagar</button>
                </form>
                <p><a href="{FakePages.E(session.CancelUrl)}">← Volver</a></p>
                """), "text/html; charset=utf-8");
        });

        app.MapPost("/c/pay/{id}", async (HttpContext http, string id) =>
        {
            var form = await http.Request.ReadFormAsync();
            if (form["card"] == "4000000000000002")
            {
                // Stripe keeps the payer on its page after a decline: nothing is sent anywhere.
                return Results.Content(FakePages.Page("Stripe", $"<h1>Tu tarjeta fue rechazada</h1><p><a href=\"/c/pay/{FakePages.E(id)}\">Intentar con otra tarjeta</a></p>"),
                    "text/html; charset=utf-8", statusCode: 402);
            }
            var session = await CompleteAsync(state, id);
            return session is null ? Results.NotFound() : Results.Redirect(session.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", session.Id, StringComparison.Ordinal));
        });
    }

    /// <summary>What a successful card payment on the hosted page does: the session completes and checkout.session.completed is sent.</summary>
    public static async Task<StripeSession?> CompleteAsync(FakeState state, string sessionId)
    {
        StripeSession? session;
        lock (state.Gate)
        {
            if (!state.StripeSessions.TryGetValue(sessionId, out session) || Lapse(state, session).Status != "open")
            {
                return null;
            }
            session.Status = "complete";
            session.PaymentStatus = "paid";
            session.PaymentIntent = "pi_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        }
        await SendEventAsync(state, session, "checkout.session.completed");
        return session;
    }

    /// <summary>The session lapses: checkout.session.expired.</summary>
    public static async Task ExpireAsync(FakeState state, string sessionId)
    {
        StripeSession session;
        lock (state.Gate)
        {
            session = state.StripeSessions[sessionId];
            session.Status = "expired";
        }
        await SendEventAsync(state, session, "checkout.session.expired");
    }

    public static async Task SendEventAsync(FakeState state, StripeSession session, string type)
    {
        StripeAccount account;
        string apiVersion;
        lock (state.Gate)
        {
            account = state.StripeAccounts[session.SecretKey];
            apiVersion = state.StripeEventApiVersion;
        }
        var created = state.Clock.GetUtcNow().ToUnixTimeSeconds();
        var body = new JsonObject
        {
            ["id"] = "evt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), ["object"] = "event", ["api_version"] = apiVersion, ["created"] = created,
            ["data"] = new JsonObject { ["object"] = Describe(state, session) }, ["livemode"] = false, ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null }, ["type"] = type,
        }.ToJsonString();
        await state.SendWebhookAsync(new RecordedWebhook("stripe", new Uri(account.WebhookUrl), body, new Dictionary<string, string>
        {
            ["Stripe-Signature"] = SignatureHeader(body, account.WebhookSecret, created),
        }));
    }

    public static string SignatureHeader(string body, string secret, long timestamp)
    {
        var signed = timestamp.ToString(CultureInfo.InvariantCulture) + "." + body;
        return $"t={timestamp},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed)))}";
    }

    /// <summary>
    /// As Stripe does: an open session past its expires_at is expired and can no longer be paid (the fake once let a
    /// payer pay hours later, an approval no real session can give; the property test found it as a lost approval).
    /// </summary>
    private static StripeSession Lapse(FakeState state, StripeSession s)
    {
        lock (state.Gate)
        {
            if (s.Status == "open" && state.Clock.GetUtcNow().ToUnixTimeSeconds() >= s.ExpiresAt)
            {
                s.Status = "expired";
            }
        }
        return s;
    }

    private static JsonObject Describe(FakeState state, StripeSession s)
    {
        Lapse(state, s);
        return new()
        {
            ["id"] = s.Id, ["object"] = "checkout.session", ["amount_subtotal"] = s.Amount, ["amount_total"] = s.Amount, ["cancel_url"] = s.CancelUrl,
            ["client_reference_id"] = s.ClientReferenceId, ["created"] = s.Created, ["currency"] = s.Currency, ["expires_at"] = s.ExpiresAt,
            ["livemode"] = false, ["metadata"] = s.Metadata.DeepClone(), ["mode"] = "payment", ["payment_intent"] = s.PaymentIntent,
            ["payment_status"] = s.PaymentStatus, ["status"] = s.Status, ["success_url"] = s.SuccessUrl,
            ["url"] = s.Status == "open" ? new Uri(state.BaseUrl, $"c/pay/{s.Id}").ToString() : null,
        };
    }

    /// <summary>T3: the first answer under an Idempotency-Key is replayed; the same key with other parameters is an idempotency_error.</summary>
    private static IResult Idempotent(HttpContext http, FakeState state, string apiKey, IFormCollection form, Func<(int Status, string Body)> create)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var fingerprint = http.Request.Path + "?" + string.Join("&", form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
        if (key.Length > 0)
        {
            lock (state.Gate)
            {
                if (state.StripeIdempotency.TryGetValue(apiKey + "|" + key, out var earlier))
                {
                    if (earlier.Fingerprint != fingerprint)
                    {
                        return Result(Error(400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.", null));
                    }
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                    return Results.Content(earlier.Body, "application/json", statusCode: earlier.Status);
                }
            }
        }
        var (status, body) = create();
        if (key.Length > 0 && status != 400)
        {
            lock (state.Gate)
            {
                state.StripeIdempotency[apiKey + "|" + key] = (fingerprint, status, body);
            }
        }
        return Results.Content(body, "application/json", statusCode: status);
    }

    private static async Task<IResult> Guarded(HttpContext http, FakeState state, Func<string, Task<IResult>> handler)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "";
        bool known;
        lock (state.Gate)
        {
            known = state.StripeAccounts.ContainsKey(key);
        }
        return known ? await handler(key) : Result(Error(401, "invalid_request_error", "Invalid API Key provided: " + (key.Length > 8 ? key[..8] + "****" : "****"), null));
    }

    private static (int, string) Error(int status, string type, string message, string? param) =>
        (status, new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message, ["param"] = param } }.ToJsonString());

    private static IResult Result((int Status, string Body) error) => Results.Content(error.Body, "application/json", statusCode: error.Status);
}
