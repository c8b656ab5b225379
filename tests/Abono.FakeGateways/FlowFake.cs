using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Abono.FakeGateways;

public sealed class FlowOrder
{
    public required string Token { get; init; }
    public required long FlowOrderNumber { get; init; }
    public required string ApiKey { get; init; }
    public required string CommerceOrder { get; init; }
    public required string Subject { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string Email { get; init; }
    public required string UrlConfirmation { get; init; }
    public required string UrlReturn { get; init; }
    public required DateTimeOffset Created { get; init; }

    /// <summary>1 pending, 2 paid, 3 rejected, 4 annulled.</summary>
    public int Status { get; set; } = 1;
    public long Refunded { get; set; }
    public HashSet<string> RefundOrders { get; } = [];
}

/// <summary>
/// Flow API v1 under /api: every call signed (s = hex HMAC-SHA256 of the sorted name+value pairs, computed here on
/// its own) and carrying a known apiKey; payment/create (form-encoded; commerceOrder, subject, amount, email,
/// urlConfirmation, urlReturn required; whole CLP amounts; one order per commerceOrder), payment/getStatus,
/// getStatusByCommerceId, refund/create; the payer's page; the unsigned confirmation POST (token only) to
/// urlConfirmation and the browser's POST of the token to urlReturn.
/// </summary>
public static class FlowFake
{
    public static void Map(WebApplication app, FakeState state)
    {
        app.MapPost("/api/payment/create", async (HttpContext http, CancellationToken _) =>
        {
            var form = await http.Request.ReadFormAsync();
            var parameters = form.ToDictionary(f => f.Key, f => f.Value.ToString());
            if (Refused(state, parameters) is { } refused)
            {
                return refused;
            }
            foreach (var required in new[] { "commerceOrder", "subject", "amount", "email", "urlConfirmation", "urlReturn" })
            {
                if (!parameters.TryGetValue(required, out var value) || value.Length == 0)
                {
                    return Error(400, 1000, $"{required} is required");
                }
            }
            var currency = parameters.GetValueOrDefault("currency") is { Length: > 0 } c ? c : "CLP";
            if (!long.TryParse(parameters["amount"], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount < 350)
            {
                // CLP has no decimals; Flow's minimum order is a few hundred pesos.
                return Error(400, 1001, "amount must be a whole number of pesos (minimum 350)");
            }
            if (!parameters["email"].Contains('@'))
            {
                return Error(400, 1002, "email is not valid");
            }
            FlowOrder order;
            lock (state.Gate)
            {
                if (state.FlowOrders.Values.Any(o => o.ApiKey == parameters["apiKey"] && o.CommerceOrder == parameters["commerceOrder"]))
                {
                    return Error(400, 1605, "commerceOrder already exists");
                }
                order = new FlowOrder
                {
                    Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)), FlowOrderNumber = state.NextId(), ApiKey = parameters["apiKey"],
                    CommerceOrder = parameters["commerceOrder"], Subject = parameters["subject"], Amount = amount, Currency = currency, Email = parameters["email"],
                    UrlConfirmation = parameters["urlConfirmation"], UrlReturn = parameters["urlReturn"], Created = state.Clock.GetUtcNow(),
                };
                state.FlowOrders[order.Token] = order;
            }
            return Json(200, new JsonObject
            {
                ["url"] = new Uri(state.BaseUrl, "app/web/pay.php").ToString(), ["token"] = order.Token, ["flowOrder"] = order.FlowOrderNumber,
            });
        });

        app.MapGet("/api/payment/getStatus", (HttpContext http, CancellationToken _) =>
        {
            var parameters = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
            if (Refused(state, parameters) is { } refused)
            {
                return refused;
            }
            lock (state.Gate)
            {
                return state.FlowOrders.TryGetValue(parameters.GetValueOrDefault("token") ?? "", out var order) && order.ApiKey == parameters["apiKey"]
                    ? Json(200, Describe(order))
                    : Error(400, 105, "Invalid token");
            }
        });

        app.MapGet("/api/payment/getStatusByCommerceId", (HttpContext http, CancellationToken _) =>
        {
            var parameters = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
            if (Refused(state, parameters) is { } refused)
            {
                return refused;
            }
            lock (state.Gate)
            {
                var order = state.FlowOrders.Values.FirstOrDefault(o => o.ApiKey == parameters["apiKey"] && o.CommerceOrder == parameters.GetValueOrDefault("commerceId"));
                return order is null ? Error(400, 1606, "Order not found") : Json(200, Describe(order));
            }
        });

        app.MapPost("/api/refund/create", async (HttpContext http, CancellationToken _) =>
        {
            var form = await http.Request.ReadFormAsync();
            var parameters = form.ToDictionary(f => f.Key, f => f.Value.ToString());
            if (Refused(state, parameters) is { } refused)
            {
                return refused;
            }
            foreach (var required in new[] { "refundCommerceOrder", "receiverEmail", "amount", "urlCallBack" })
            {
                if (!parameters.TryGetValue(required, out var value) || value.Length == 0)
                {
                    return Error(400, 1000, $"{required} is required");
                }
            }
            FlowOrder? order;
            string refundToken;
            lock (state.Gate)
            {
                order = state.FlowOrders.Values.FirstOrDefault(o => o.ApiKey == parameters["apiKey"]
                    && (o.CommerceOrder == parameters.GetValueOrDefault("commerceTrxId") || o.FlowOrderNumber.ToString(CultureInfo.InvariantCulture) == parameters.GetValueOrDefault("flowTrxId")));
                if (order is null)
                {
                    return Error(400, 1606, "Order not found");
                }
                if (state.FlowOrders.Values.Any(o => o.ApiKey == order.ApiKey && o.RefundOrders.Contains(parameters["refundCommerceOrder"])))
                {
                    return Error(400, 1610, "refundCommerceOrder already exists");
                }
                if (order.Status != 2 || !long.TryParse(parameters["amount"], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0
                    || order.Refunded + amount > order.Amount)
                {
                    return Error(400, 1611, "The order cannot be refunded for that amount");
                }
                order.Refunded += amount;
                order.RefundOrders.Add(parameters["refundCommerceOrder"]);
                refundToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
            }
            var answer = Json(200, new JsonObject
            {
                ["token"] = refundToken, ["flowRefundOrder"] = state.NextId().ToString(CultureInfo.InvariantCulture),
                ["date"] = state.Clock.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), ["status"] = "created",
                ["amount"] = long.Parse(parameters["amount"], CultureInfo.InvariantCulture), ["fee"] = 0,
            });
            // The receiver's decision arrives later at urlCallBack, as a token to read with refund/getStatus.
            await state.SendWebhookAsync(new RecordedWebhook("flow", new Uri(parameters["urlCallBack"]), "token=" + refundToken,
                new Dictionary<string, string>(), "application/x-www-form-urlencoded"));
            return answer;
        });

        // The payer's page: Flow then offers its methods (Webpay, Khipu, Mach...); the fake offers the outcomes.
        app.MapGet("/app/web/pay.php", (HttpContext http, CancellationToken _) =>
        {
            FlowOrder? order;
            lock (state.Gate)
            {
                state.FlowOrders.TryGetValue(http.Request.Query["token"].ToString(), out order);
            }
            if (order is null)
            {
                return Results.Content(FakePages.Page("Flow", "<h1>Orden no encontrada</h1>"), "text/html; charset=utf-8", statusCode: 404);
            }
            return Results.Content(FakePages.Page("Flow (simulado)", $"""
                <h1>Flow</h1>
                <p>{FakePages.E(order.Subject)}</p>
                <p>Total: <strong>$ {order.Amount.ToString("N0", CultureInfo.GetCultureInfo("es-CL"))}</strong></p>
                <form method="post" action="/app/web/pay">
                  <input type="hidden" name="token" value="{FakePages.E(order.Token)}">
                  <button type="submit" name="result" value="pay">Pagar con Webpay (tarjeta de prueba 4051 8856 0044 6623)</button>
                  <button type="submit" name="result" value="reject">Pagar con una tarjeta rechazada</button>
                  <button type="submit" name="result" value="back">Anular y volver al comercio</button>
                </form>
                """), "text/html; charset=utf-8");
        });

        app.MapPost("/app/web/pay", async (HttpContext http, CancellationToken _) =>
        {
            var form = await http.Request.ReadFormAsync();
            var token = form["token"].ToString();
            FlowOrder? order;
            lock (state.Gate)
            {
                state.FlowOrders.TryGetValue(token, out order);
            }
            if (order is null)
            {
                return Results.NotFound();
            }
            switch (form["result"].ToString())
            {
                case "pay":
                    await DecideAsync(state, token, 2);
                    break;
                case "reject":
                    await DecideAsync(state, token, 3);
                    break;
                default:
                    await DecideAsync(state, token, 4);
                    break;
            }
            // Flow sends the browser back with a POST of the token to urlReturn.
            return Results.Content(FakePages.AutoPost(order.UrlReturn, [("token", token)]), "text/html; charset=utf-8");
        });
    }

    /// <summary>The order is decided (2 paid, 3 rejected, 4 annulled) and Flow confirms it to urlConfirmation: the token, unsigned.</summary>
    public static async Task DecideAsync(FakeState state, string token, int status = 2)
    {
        FlowOrder order;
        lock (state.Gate)
        {
            order = state.FlowOrders[token];
            if (order.Status != 1)
            {
                return;
            }
            order.Status = status;
        }
        await ConfirmAsync(state, order);
    }

    /// <summary>The confirmation (sent again, as Flow does when the first one got no 200).</summary>
    public static Task ConfirmAsync(FakeState state, FlowOrder order) =>
        state.SendWebhookAsync(new RecordedWebhook("flow", new Uri(order.UrlConfirmation), "token=" + Uri.EscapeDataString(order.Token),
            new Dictionary<string, string>(), "application/x-www-form-urlencoded"));

    /// <summary>Flow's s, computed here on its own: sorted names (ordinal), name+value concatenated, hex HMAC-SHA256.</summary>
    public static string Sign(string secretKey, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in parameters.Where(p => p.Key != "s").OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(value);
        }
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static IResult? Refused(FakeState state, Dictionary<string, string> parameters)
    {
        string? secret;
        lock (state.Gate)
        {
            secret = parameters.TryGetValue("apiKey", out var apiKey) && state.FlowAccounts.TryGetValue(apiKey, out var s) ? s : null;
        }
        if (secret is null)
        {
            return Error(401, 108, "Invalid apiKey");
        }
        var given = parameters.GetValueOrDefault("s") ?? "";
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, parameters)), Encoding.ASCII.GetBytes(given))
            ? null
            : Error(401, 109, "Invalid signature");
    }

    private static JsonObject Describe(FlowOrder o) => new()
    {
        ["flowOrder"] = o.FlowOrderNumber, ["commerceOrder"] = o.CommerceOrder,
        ["requestDate"] = o.Created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), ["status"] = o.Status, ["subject"] = o.Subject,
        ["currency"] = o.Currency, ["amount"] = o.Amount, ["payer"] = o.Email, ["optional"] = null,
        ["pending_info"] = new JsonObject { ["media"] = "", ["date"] = "" },
        ["paymentData"] = o.Status == 2
            ? new JsonObject { ["date"] = o.Created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), ["media"] = "Webpay", ["amount"] = o.Amount, ["currency"] = o.Currency, ["fee"] = 0, ["balance"] = o.Amount }
            : null,
        ["merchantId"] = null,
    };

    private static IResult Error(int status, int code, string message) => Json(status, new JsonObject { ["code"] = code, ["message"] = message });

    private static IResult Json(int status, JsonNode body) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);
}
