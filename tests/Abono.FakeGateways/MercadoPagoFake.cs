using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Abono.FakeGateways;

public sealed class MercadoPagoPreference
{
    public required string Id { get; init; }
    public required string AccessToken { get; init; }
    public required long Amount { get; init; }
    public required string Title { get; init; }
    public string? ExternalReference { get; init; }
    public string? NotificationUrl { get; init; }
    public required JsonObject BackUrls { get; init; }
}

public sealed class MercadoPagoPayment
{
    public required long Id { get; init; }
    public required string AccessToken { get; init; }
    public required string PreferenceId { get; init; }
    public required long Amount { get; init; }
    public string? ExternalReference { get; init; }
    public required string Status { get; set; }
    public required string StatusDetail { get; set; }
    public DateTimeOffset Created { get; init; }
    public long Refunded { get; set; }
    public List<JsonObject> Refunds { get; } = [];
}

/// <summary>
/// Mercado Pago (M1-M4): preferences (201, integer CLP unit_price, back_urls on a host name, not an IP address), the
/// Checkout Pro page, payments and their search, refunds with X-Idempotency-Key, and webhooks signed with x-signature
/// over "id:{data.id};request-id:{id};ts:{ts};" (per account: silent, as with test credentials, or unsigned).
/// </summary>
public static class MercadoPagoFake
{
    public static void Map(WebApplication app, FakeState state)
    {
        app.MapPost("/checkout/preferences", (HttpContext http, CancellationToken _) => Guarded(http, state, async token =>
        {
            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
            }
            catch (JsonException)
            {
                body = null;
            }
            if (body?["items"] is not JsonArray { Count: > 0 } items || items[0] is not JsonObject item)
            {
                return Error(400, "items needed", "bad_request");
            }
            if (item["quantity"] is not JsonValue q || !q.TryGetValue<int>(out var quantity) || quantity < 1)
            {
                return Error(400, "quantity must be a positive integer", "bad_request");
            }
            // MLC: unit_price must be an integer (M2); 15000.0 is accepted as whole.
            if (item["unit_price"] is not JsonValue p || !p.TryGetValue<decimal>(out var price) || price <= 0 || price != decimal.Truncate(price))
            {
                return Error(400, "unit_price invalid: must be an integer for CLP", "invalid_unit_price");
            }
            if ((string?)item["currency_id"] is { } currency && currency != "CLP")
            {
                return Error(400, "currency_id invalid", "bad_request");
            }
            if (InvalidBackUrl(body["back_urls"]) is { } invalid)
            {
                return Error(400, "back_urls invalid. Wrong format", "invalid_back_urls", cause: $"back_urls.{invalid} must be a public http(s) URL, not an IP address");
            }
            if (body["auto_return"] is not null && body["back_urls"]?["success"] is null)
            {
                return Error(400, "auto_return invalid. back_url.success must be defined", "invalid_auto_return");
            }
            var id = $"1234567-{Guid.NewGuid()}";
            var preference = new MercadoPagoPreference
            {
                Id = id, AccessToken = token, Amount = (long)price * quantity, Title = (string?)item["title"] ?? "",
                ExternalReference = (string?)body["external_reference"], NotificationUrl = (string?)body["notification_url"],
                BackUrls = body["back_urls"]?.DeepClone() as JsonObject ?? [],
            };
            lock (state.Gate)
            {
                state.Preferences[id] = preference;
            }
            var answer = (JsonObject)body.DeepClone();
            answer["id"] = id;
            answer["collector_id"] = 1234567;
            answer["client_id"] = "6295877106812064";
            answer["date_created"] = state.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            answer["init_point"] = new Uri(state.BaseUrl, $"checkout/v1/redirect?pref_id={id}").ToString();
            answer["sandbox_init_point"] = new Uri(state.BaseUrl, $"checkout/v1/redirect?pref_id={id}&sandbox=1").ToString();
            return Json(201, answer);
        }));

        app.MapGet("/v1/payments/search", (HttpContext http, CancellationToken _) => Guarded(http, state, token =>
        {
            var reference = http.Request.Query["external_reference"].ToString();
            lock (state.Gate)
            {
                var results = new JsonArray(state.MercadoPagoPayments.Values
                    .Where(p => p.AccessToken == token && p.ExternalReference == reference).OrderByDescending(p => p.Created)
                    .Select(p => (JsonNode)Describe(p)).ToArray());
                return Task.FromResult(Json(200, new JsonObject
                {
                    ["paging"] = new JsonObject { ["total"] = results.Count, ["limit"] = 30, ["offset"] = 0 }, ["results"] = results,
                }));
            }
        }));

        app.MapGet("/v1/payments/{id}", (HttpContext http, string id) => Guarded(http, state, token =>
        {
            lock (state.Gate)
            {
                return Task.FromResult(long.TryParse(id, out var paymentId) && state.MercadoPagoPayments.TryGetValue(paymentId, out var payment) && payment.AccessToken == token
                    ? Json(200, Describe(payment))
                    : Error(404, "Payment not found", "not_found", 2000));
            }
        }));

        app.MapPost("/v1/payments/{id}/refunds", (HttpContext http, string id) => Guarded(http, state, async token =>
        {
            var key = http.Request.Headers["X-Idempotency-Key"].ToString();
            JsonObject? body = null;
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
            }
            catch (JsonException)
            {
            }
            lock (state.Gate)
            {
                if (key.Length > 0 && state.MercadoPagoRefundKeys.TryGetValue(key, out var earlier))
                {
                    return Results.Content(earlier, "application/json", statusCode: 201);
                }
                if (!long.TryParse(id, out var paymentId) || !state.MercadoPagoPayments.TryGetValue(paymentId, out var payment) || payment.AccessToken != token)
                {
                    return Error(404, "Payment not found", "not_found", 2000);
                }
                var amount = body?["amount"] is JsonValue v && v.TryGetValue<decimal>(out var a) ? a : payment.Amount - payment.Refunded;
                if (payment.Status is not ("approved" or "refunded") || amount <= 0 || amount != decimal.Truncate(amount) || payment.Refunded + (long)amount > payment.Amount)
                {
                    return Error(400, "Invalid refund amount", "bad_request", 4040);
                }
                payment.Refunded += (long)amount;
                if (payment.Refunded == payment.Amount)
                {
                    payment.Status = "refunded";
                    payment.StatusDetail = "refunded";
                }
                var refund = new JsonObject
                {
                    ["id"] = state.NextId(), ["payment_id"] = payment.Id, ["amount"] = (long)amount, ["status"] = "approved",
                    ["date_created"] = state.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
                };
                payment.Refunds.Add(refund);
                if (key.Length > 0)
                {
                    state.MercadoPagoRefundKeys[key] = refund.ToJsonString();
                }
                return Json(201, refund);
            }
        }));

        app.MapGet("/users/me", (HttpContext http, CancellationToken _) => Guarded(http, state, _ =>
            Task.FromResult(Json(200, new JsonObject { ["id"] = 1234567, ["nickname"] = "TESTABONO", ["site_id"] = "MLC" }))));

        // Checkout Pro, as the payer sees it.
        app.MapGet("/checkout/v1/redirect", (HttpContext http) =>
        {
            MercadoPagoPreference? preference;
            lock (state.Gate)
            {
                state.Preferences.TryGetValue(http.Request.Query["pref_id"].ToString(), out preference);
            }
            if (preference is null)
            {
                return Results.Content(FakePages.Page("Mercado Pago", "<h1>Link de pago inválido</h1>"), "text/html; charset=utf-8", statusCode: 404);
            }
            return Results.Content(FakePages.Page("Mercado Pago (simulado)", $"""
                <h1>Mercado Pago</h1>
                <p>{FakePages.E(preference.Title)}</p>
                <p>Total: <strong>$ {preference.Amount.ToString("N0", CultureInfo.GetCultureInfo("es-CL"))}</strong></p>
                <form method="post" action="/checkout/v1/pay">
                  <input type="hidden" name="pref_id" value="{FakePages.E(preference.Id)}">
                  <button type="submit" name="result" value="approved">Pagar</button>
                  <button type="submit" name="result" value="rejected">Pagar con tarjeta sin fondos</button>
                  <button type="submit" name="result" value="back">Volver al sitio</button>
                </form>
                """), "text/html; charset=utf-8");
        });

        app.MapPost("/checkout/v1/pay", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var result = form["result"].ToString();
            MercadoPagoPreference? preference;
            lock (state.Gate)
            {
                state.Preferences.TryGetValue(form["pref_id"].ToString(), out preference);
            }
            if (preference is null)
            {
                return Results.NotFound();
            }
            if (result == "back")
            {
                return Results.Redirect(BackUrl(preference, "failure", null));
            }
            var payment = await PayAsync(state, preference.Id, result == "approved");
            return Results.Redirect(BackUrl(preference, payment.Status == "approved" ? "success" : "failure", payment));
        });
    }

    /// <summary>What the payer's click does: a payment in the preference, then its signed webhook (payment.created).</summary>
    /// <param name="amount">Another amount than the preference's (what an altered or buggy checkout would charge).</param>
    public static async Task<MercadoPagoPayment> PayAsync(FakeState state, string preferenceId, bool approved = true, long? amount = null)
    {
        MercadoPagoPayment payment;
        MercadoPagoPreference preference;
        lock (state.Gate)
        {
            preference = state.Preferences[preferenceId];
            payment = new MercadoPagoPayment
            {
                Id = state.NextId(), AccessToken = preference.AccessToken, PreferenceId = preference.Id, Amount = amount ?? preference.Amount,
                ExternalReference = preference.ExternalReference, Status = approved ? "approved" : "rejected",
                StatusDetail = approved ? "accredited" : "cc_rejected_insufficient_amount", Created = state.Clock.GetUtcNow(),
            };
            state.MercadoPagoPayments[payment.Id] = payment;
        }
        await NotifyAsync(state, preference, payment, "payment.created");
        return payment;
    }

    /// <summary>
    /// The notification of a payment, signed with the account's secret — unless the account is silent (test
    /// credentials: nothing is sent or recorded) or unsigned (no secret configured in MP's panel: no x-signature).
    /// </summary>
    public static async Task NotifyAsync(FakeState state, MercadoPagoPreference preference, MercadoPagoPayment payment, string action)
    {
        if (string.IsNullOrEmpty(preference.NotificationUrl))
        {
            return;
        }
        string secret;
        bool unsigned;
        lock (state.Gate)
        {
            if (state.MercadoPagoSilentAccounts.Contains(preference.AccessToken))
            {
                return;
            }
            secret = state.MercadoPagoAccounts[preference.AccessToken];
            unsigned = state.MercadoPagoUnsignedAccounts.Contains(preference.AccessToken);
        }
        var dataId = payment.Id.ToString(CultureInfo.InvariantCulture);
        var requestId = Guid.NewGuid().ToString();
        var ts = state.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var manifest = $"id:{dataId};request-id:{requestId};ts:{ts};";
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(manifest)));
        var body = new JsonObject
        {
            ["id"] = state.NextId(), ["live_mode"] = false, ["type"] = "payment",
            ["date_created"] = state.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["user_id"] = 1234567, ["api_version"] = "v1", ["action"] = action, ["data"] = new JsonObject { ["id"] = dataId },
        }.ToJsonString();
        var url = preference.NotificationUrl + (preference.NotificationUrl.Contains('?') ? "&" : "?") + $"data.id={dataId}&type=payment";
        var headers = new Dictionary<string, string> { ["x-request-id"] = requestId };
        if (!unsigned)
        {
            headers["x-signature"] = $"ts={ts},v1={v1}";
        }
        await state.SendWebhookAsync(new RecordedWebhook("mercadopago", new Uri(url), body, headers));
    }

    /// <summary>
    /// Which of back_urls (success, pending, failure) Mercado Pago refuses: not an absolute http(s) URL, or a host
    /// that is an IP literal (IPv4 or IPv6). Host names, localhost included, are accepted. Null when all are fine.
    /// </summary>
    private static string? InvalidBackUrl(JsonNode? backUrls)
    {
        if (backUrls is not JsonObject urls)
        {
            return null;
        }
        foreach (var which in new[] { "success", "pending", "failure" })
        {
            if (urls[which] is null)
            {
                continue;
            }
            if (urls[which] is not JsonValue value || !value.TryGetValue<string>(out var text)
                || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            {
                return which;
            }
        }
        return null;
    }

    private static string BackUrl(MercadoPagoPreference preference, string which, MercadoPagoPayment? payment)
    {
        var url = (string?)preference.BackUrls[which] ?? (string?)preference.BackUrls["success"] ?? "/";
        var id = payment?.Id.ToString(CultureInfo.InvariantCulture) ?? "null";
        var query = $"collection_id={id}&collection_status={payment?.Status ?? "null"}&payment_id={id}&status={payment?.Status ?? "null"}" +
            $"&external_reference={Uri.EscapeDataString(preference.ExternalReference ?? "")}&payment_type={(payment is null ? "null" : "credit_card")}" +
            $"&merchant_order_id={(payment is null ? "null" : "9876543210")}&preference_id={preference.Id}&site_id=MLC&processing_mode=aggregator&merchant_account_id=null";
        return url + (url.Contains('?') ? "&" : "?") + query;
    }

    private static JsonObject Describe(MercadoPagoPayment p) => new()
    {
        ["id"] = p.Id, ["status"] = p.Status, ["status_detail"] = p.StatusDetail, ["transaction_amount"] = p.Amount,
        ["transaction_amount_refunded"] = p.Refunded, ["currency_id"] = "CLP", ["external_reference"] = p.ExternalReference,
        ["date_created"] = p.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        ["date_approved"] = p.Status == "approved" ? p.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture) : null,
        ["payment_method_id"] = "visa", ["payment_type_id"] = "credit_card", ["installments"] = 1, ["live_mode"] = false, ["collector_id"] = 1234567,
        ["order"] = new JsonObject { ["id"] = 9876543210, ["type"] = "mercadopago" }, ["captured"] = true, ["binary_mode"] = false,
        ["refunds"] = new JsonArray(p.Refunds.Select(r => (JsonNode)r.DeepClone()).ToArray()),
    };

    private static async Task<IResult> Guarded(HttpContext http, FakeState state, Func<string, Task<IResult>> handler)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "";
        bool known;
        lock (state.Gate)
        {
            known = state.MercadoPagoAccounts.ContainsKey(token);
        }
        return known ? await handler(token) : Error(401, "invalid access token", "unauthorized");
    }

    private static IResult Error(int status, string message, string error, int code = 0, string? cause = null) => Json(status, new JsonObject
    {
        ["message"] = message, ["error"] = error, ["status"] = status,
        ["cause"] = new JsonArray(new JsonObject { ["code"] = code, ["description"] = cause ?? message }),
    });

    private static IResult Json(int status, JsonNode body) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);
}
