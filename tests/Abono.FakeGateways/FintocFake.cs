using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Abono.FakeGateways;

public sealed class FintocSession
{
    public required string Id { get; init; }
    public required string SecretKey { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string SuccessUrl { get; init; }
    public required string CancelUrl { get; init; }
    public required JsonObject Metadata { get; init; }
    public string? CustomerEmail { get; init; }
    public DateTimeOffset Created { get; init; }

    /// <summary>created → in_progress → finished | expired.</summary>
    public string Status { get; set; } = "created";
    public string? IntentId { get; set; }

    /// <summary>created, pending, succeeded, failed, rejected, expired.</summary>
    public string? IntentStatus { get; set; }

    /// <summary>A company payment waiting for its apoderados until then.</summary>
    public DateTimeOffset? PendingUntil { get; set; }
    public long Refunded { get; set; }
}

/// <summary>
/// Fintoc checkout sessions, under /fintoc (Stripe's fake already answers /v1/refunds on this host): Authorization is the bare secret key; amounts are JSON integers (CLP has no minor unit);
/// success_url and cancel_url required; Idempotency-Key replays the first answer. The hosted page pays from a personal
/// account, from a company account whose apoderados sign later (the intent stays pending, ~30 s in test mode), or is
/// rejected by the bank. Webhooks (checkout_session.*, payment_intent.*) go to the account's endpoint signed with
/// Fintoc-Signature "t=&lt;unix s&gt;,v1=&lt;hex HMAC-SHA256(secret, t.body)&gt;". Refunds of succeeded intents.
/// </summary>
public static class FintocFake
{
    public static void Map(WebApplication app, FakeState state)
    {
        app.MapPost("/fintoc/v1/checkout_sessions", (HttpContext http, CancellationToken _) => Guarded(http, state, async key =>
        {
            var raw = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var idempotency = http.Request.Headers["Idempotency-Key"].ToString();
            var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
            lock (state.Gate)
            {
                if (idempotency.Length > 0 && state.FintocIdempotency.TryGetValue(key + "|" + idempotency, out var earlier))
                {
                    return earlier.Fingerprint == fingerprint
                        ? Results.Content(earlier.Body, "application/json", statusCode: earlier.Status)
                        : Error(400, "invalid_request_error", "idempotency_key_reused", "Idempotency-Key reused with other parameters");
                }
            }
            JsonObject? body;
            try
            {
                body = JsonNode.Parse(raw) as JsonObject;
            }
            catch (JsonException)
            {
                body = null;
            }
            if (body is null)
            {
                return Error(400, "invalid_request_error", "invalid_json", "The body is not JSON");
            }
            // An integer: 1900 is fine, 1900.5 and "1900" are not.
            if (body["amount"] is not JsonValue a || a.GetValueKind() != JsonValueKind.Number || !a.TryGetValue<long>(out var amount) || amount <= 0)
            {
                return Error(400, "invalid_request_error", "invalid_amount", "amount must be a positive integer");
            }
            if ((string?)body["currency"] is not ("CLP" or "MXN"))
            {
                return Error(400, "invalid_request_error", "invalid_currency", "currency must be CLP or MXN");
            }
            if (!IsUrl(body["success_url"]) || !IsUrl(body["cancel_url"]))
            {
                return Error(400, "invalid_request_error", "missing_parameter", "success_url and cancel_url are required");
            }
            var session = new FintocSession
            {
                Id = "cs_test_" + Guid.NewGuid().ToString("N")[..24], SecretKey = key, Amount = amount, Currency = (string)body["currency"]!,
                SuccessUrl = (string)body["success_url"]!, CancelUrl = (string)body["cancel_url"]!, Metadata = body["metadata"]?.DeepClone() as JsonObject ?? [],
                CustomerEmail = (string?)body["customer_email"], Created = state.Clock.GetUtcNow(),
            };
            var answer = Describe(state, session).ToJsonString();
            lock (state.Gate)
            {
                state.FintocSessions[session.Id] = session;
                if (idempotency.Length > 0)
                {
                    state.FintocIdempotency[key + "|" + idempotency] = (fingerprint, 201, answer);
                }
            }
            return Results.Content(answer, "application/json", statusCode: 201);
        }));

        app.MapGet("/fintoc/v1/checkout_sessions/{id}", (HttpContext http, string id) => Guarded(http, state, async key =>
        {
            FintocSession? session;
            lock (state.Gate)
            {
                state.FintocSessions.TryGetValue(id, out session);
            }
            if (session is null || session.SecretKey != key)
            {
                return Error(404, "invalid_request_error", "resource_missing", "No such checkout_session");
            }
            await SettleAsync(state, session);
            lock (state.Gate)
            {
                return Json(200, Describe(state, session));
            }
        }));

        // Fintoc expires a session on request only while it is created: one the payer has opened (in_progress) or
        // finished cannot be, and says so with a 400.
        app.MapPost("/fintoc/v1/checkout_sessions/{id}/expire", (HttpContext http, string id) => Guarded(http, state, async key =>
        {
            FintocSession? session;
            bool expired;
            lock (state.Gate)
            {
                state.FintocSessions.TryGetValue(id, out session);
                expired = session is { Status: "created" } && session.SecretKey == key;
                if (expired)
                {
                    session!.Status = "expired";
                    state.FintocExpireCalls++;
                }
            }
            if (session is null || session.SecretKey != key)
            {
                return Error(404, "invalid_request_error", "resource_missing", "No such checkout_session");
            }
            if (!expired)
            {
                return Error(400, "invalid_request_error", "checkout_session_not_expirable", $"Checkout session is {session.Status}; only a created one can be expired");
            }
            await SendEventAsync(state, session, "checkout_session.expired");
            lock (state.Gate)
            {
                return Json(200, Describe(state, session));
            }
        }));

        app.MapGet("/fintoc/v1/payment_intents", (HttpContext http, CancellationToken _) => Guarded(http, state, _ => Task.FromResult(Json(200, new JsonArray()))));

        app.MapPost("/fintoc/v1/refunds", (HttpContext http, CancellationToken _) => Guarded(http, state, async key =>
        {
            JsonObject? body = null;
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
            }
            catch (JsonException)
            {
            }
            var idempotency = http.Request.Headers["Idempotency-Key"].ToString();
            lock (state.Gate)
            {
                if (idempotency.Length > 0 && state.FintocIdempotency.TryGetValue(key + "|" + idempotency, out var earlier))
                {
                    return Results.Content(earlier.Body, "application/json", statusCode: earlier.Status);
                }
                if ((string?)body?["resource_type"] != "payment_intent")
                {
                    return Error(400, "invalid_request_error", "invalid_resource_type", "resource_type must be payment_intent");
                }
                var session = state.FintocSessions.Values.FirstOrDefault(s => s.SecretKey == key && s.IntentId == (string?)body!["resource_id"]);
                if (session is null)
                {
                    return Error(404, "invalid_request_error", "resource_missing", "No such payment_intent");
                }
                long amount = session.Amount - session.Refunded;
                if (body!["amount"] is JsonValue v && (v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out amount)))
                {
                    return Error(400, "invalid_request_error", "invalid_amount", "amount must be an integer");
                }
                if (session.IntentStatus != "succeeded" || amount <= 0 || session.Refunded + amount > session.Amount)
                {
                    return Error(400, "invalid_request_error", "refund_not_allowed", "The payment cannot be refunded for that amount");
                }
                session.Refunded += amount;
                var refund = new JsonObject
                {
                    ["id"] = "ref_" + Guid.NewGuid().ToString("N")[..16], ["object"] = "refund", ["amount"] = amount, ["currency"] = session.Currency,
                    ["resource_id"] = session.IntentId, ["resource_type"] = "payment_intent", ["status"] = "pending", ["mode"] = "test",
                    ["created_at"] = state.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), ["metadata"] = new JsonObject(),
                }.ToJsonString();
                if (idempotency.Length > 0)
                {
                    state.FintocIdempotency[key + "|" + idempotency] = ("", 201, refund);
                }
                return Results.Content(refund, "application/json", statusCode: 201);
            }
        }));

        // The hosted page (pay.fintoc.com in production; the test-mode simulator offers these cases).
        app.MapGet("/fintoc/checkout/{id}", (string id) =>
        {
            FintocSession? session;
            lock (state.Gate)
            {
                if (state.FintocSessions.TryGetValue(id, out session) && session.Status == "created")
                {
                    session.Status = "in_progress";
                }
            }
            if (session is null || session.Status is "finished" or "expired")
            {
                return Results.Content(FakePages.Page("Fintoc", "<h1>Este pago ya no está disponible</h1>"), "text/html; charset=utf-8", statusCode: 404);
            }
            return Results.Content(FakePages.Page("Fintoc (simulado)", $"""
                <h1>Fintoc</h1>
                <p>Total: <strong>$ {session.Amount.ToString("N0", CultureInfo.GetCultureInfo("es-CL"))}</strong></p>
                <form method="post" action="/fintoc/pay">
                  <input type="hidden" name="session" value="{FakePages.E(session.Id)}">
                  <button type="submit" name="result" value="personal">Pagar desde cuenta personal (Banco de Chile)</button>
                  <button type="submit" name="result" value="company">Pagar desde cuenta de empresa (2 apoderados, Santander)</button>
                  <button type="submit" name="result" value="rejected">Pagar con una cuenta sin fondos</button>
                  <button type="submit" name="result" value="back">Volver al comercio</button>
                </form>
                """), "text/html; charset=utf-8");
        });

        app.MapPost("/fintoc/pay", async (HttpContext http, CancellationToken _) =>
        {
            var form = await http.Request.ReadFormAsync();
            FintocSession? session;
            lock (state.Gate)
            {
                state.FintocSessions.TryGetValue(form["session"].ToString(), out session);
            }
            if (session is null)
            {
                return Results.NotFound();
            }
            var result = form["result"].ToString();
            if (result == "back")
            {
                return Results.Redirect(session.CancelUrl);
            }
            await PayAsync(state, session.Id, result switch { "company" => FintocPayer.Company, "rejected" => FintocPayer.Rejected, _ => FintocPayer.Personal });
            return Results.Redirect(session.SuccessUrl);
        });
    }

    /// <summary>The payer completes the session: the intent succeeds, is rejected, or (a company account) waits for its apoderados.</summary>
    public static async Task PayAsync(FakeState state, string sessionId, FintocPayer payer = FintocPayer.Personal)
    {
        FintocSession session;
        lock (state.Gate)
        {
            session = state.FintocSessions[sessionId];
            if (session.Status is "finished" or "expired")
            {
                return;
            }
            session.Status = "finished";
            session.IntentId = "pi_" + Guid.NewGuid().ToString("N")[..24];
            session.IntentStatus = payer switch { FintocPayer.Company => "pending", FintocPayer.Rejected => "rejected", _ => "succeeded" };
            session.PendingUntil = payer == FintocPayer.Company ? state.Clock.GetUtcNow() + state.FintocCompanyDelay : null;
        }
        await SendEventAsync(state, session, "payment_intent." + session.IntentStatus);
        await SendEventAsync(state, session, "checkout_session.finished");
    }

    /// <summary>Company payments whose apoderados have signed by now (the fake clock) succeed, with their webhook.</summary>
    public static async Task SettlePendingAsync(FakeState state)
    {
        List<FintocSession> pending;
        lock (state.Gate)
        {
            pending = state.FintocSessions.Values.Where(s => s.IntentStatus == "pending").ToList();
        }
        foreach (var session in pending)
        {
            await SettleAsync(state, session);
        }
    }

    private static async Task SettleAsync(FakeState state, FintocSession session)
    {
        lock (state.Gate)
        {
            if (session.IntentStatus != "pending" || session.PendingUntil > state.Clock.GetUtcNow())
            {
                return;
            }
            session.IntentStatus = "succeeded";
        }
        await SendEventAsync(state, session, "payment_intent.succeeded");
    }

    /// <summary>The session's time ran out before the payer finished (only a created or in-progress session expires).</summary>
    public static async Task ExpireAsync(FakeState state, string sessionId)
    {
        FintocSession session;
        lock (state.Gate)
        {
            session = state.FintocSessions[sessionId];
            if (session.Status is "finished" or "expired")
            {
                return;
            }
            session.Status = "expired";
        }
        await SendEventAsync(state, session, "checkout_session.expired");
    }

    public static async Task SendEventAsync(FakeState state, FintocSession session, string type)
    {
        FintocAccount account;
        JsonObject data;
        lock (state.Gate)
        {
            account = state.FintocAccounts[session.SecretKey];
            data = type.StartsWith("payment_intent.", StringComparison.Ordinal) ? Intent(session)! : Describe(state, session);
        }
        var body = new JsonObject
        {
            ["id"] = "evt_" + Guid.NewGuid().ToString("N")[..24], ["object"] = "event", ["type"] = type, ["mode"] = "test",
            ["created_at"] = state.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), ["data"] = data,
        }.ToJsonString();
        await state.SendWebhookAsync(new RecordedWebhook("fintoc", new Uri(account.WebhookUrl), body,
            new Dictionary<string, string> { ["Fintoc-Signature"] = SignatureHeader(account.WebhookSecret, state.Clock.GetUtcNow(), body) }));
    }

    /// <summary>t = Unix seconds; v1 = hex HMAC-SHA256(secret, t + "." + body), computed here on its own (not the app's code).</summary>
    public static string SignatureHeader(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body)))}";
    }

    private static JsonObject? Intent(FintocSession s) => s.IntentId is null ? null : new JsonObject
    {
        ["id"] = s.IntentId, ["object"] = "payment_intent", ["amount"] = s.Amount, ["currency"] = s.Currency, ["status"] = s.IntentStatus,
        ["checkout_session"] = s.Id, ["error_reason"] = s.IntentStatus == "rejected" ? "insufficient_funds" : null, ["mode"] = "test",
        ["sender_account"] = new JsonObject { ["holder_id"] = "111111111", ["institution_id"] = "cl_banco_de_chile", ["type"] = "checking_account" },
    };

    private static JsonObject Describe(FakeState state, FintocSession s) => new()
    {
        ["id"] = s.Id, ["object"] = "checkout_session", ["amount"] = s.Amount, ["currency"] = s.Currency, ["status"] = s.Status, ["mode"] = "test",
        ["redirect_url"] = new Uri(state.BaseUrl, $"fintoc/checkout/{s.Id}").ToString(), ["success_url"] = s.SuccessUrl, ["cancel_url"] = s.CancelUrl,
        ["customer_email"] = s.CustomerEmail, ["metadata"] = s.Metadata.DeepClone(),
        ["created_at"] = s.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["payment_resource"] = s.IntentId is null ? null : new JsonObject { ["payment_intent"] = Intent(s) },
    };

    private static bool IsUrl(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static async Task<IResult> Guarded(HttpContext http, FakeState state, Func<string, Task<IResult>> handler)
    {
        // The bare key: "Bearer sk_test_..." is refused like a wrong key.
        var key = http.Request.Headers.Authorization.ToString();
        bool known;
        lock (state.Gate)
        {
            known = key.Length > 0 && state.FintocAccounts.ContainsKey(key);
        }
        return known ? await handler(key) : Error(401, "authentication_error", "invalid_api_key", "Invalid API Key provided");
    }

    private static IResult Error(int status, string type, string code, string message) =>
        Json(status, new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message } });

    private static IResult Json(int status, JsonNode body) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);
}

public enum FintocPayer { Personal, Company, Rejected }
