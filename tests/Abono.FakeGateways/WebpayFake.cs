using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Abono.FakeGateways;

public enum WebpayState
{
    Initialized,

    /// <summary>The payer finished the form (approved or rejected); waiting for the merchant's commit.</summary>
    AwaitingCommit,
    Authorized,
    Failed,
    Aborted,
    TimedOut,
    Reversed,
    Nullified,
    PartiallyNullified,
}

public sealed class WebpayTransaction
{
    public required string Token { get; init; }
    public required string CommerceCode { get; init; }
    public required string BuyOrder { get; init; }
    public required string SessionId { get; init; }
    public required long Amount { get; init; }
    public required string ReturnUrl { get; init; }
    public WebpayState State { get; set; } = WebpayState.Initialized;
    public bool Approved { get; set; }
    public string CardNumber { get; set; } = "";
    public string PaymentTypeCode { get; set; } = "VN";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? TransactionDate { get; set; }
    public long Balance { get; set; }
}

/// <summary>
/// Transbank Webpay Plus REST v1.2 (D1 reference, S1 .NET SDK): create/commit/status/refund with Tbk-Api-Key
/// headers, JSON error bodies, and the hosted form that returns to the merchant in the four documented ways.
/// </summary>
public static partial class WebpayFake
{
    private const string Prefix = "/rswebpaytransaction/api/webpay/v1.2";

    /// <summary>D1 test cards: number → (approved, payment type).</summary>
    public static readonly Dictionary<string, (bool Approved, string Type)> Cards = new()
    {
        ["4051885600446623"] = (true, "VN"),
        ["5186059559590568"] = (false, "VN"),
        ["4051884239937763"] = (true, "VD"),
        ["4511346660037060"] = (true, "VD"),
        ["5186008541233829"] = (false, "VD"),
        ["4051886000056590"] = (true, "VP"),
        ["5186174110629480"] = (false, "VP"),
    };

    public static void Map(WebApplication app, FakeState state)
    {
        app.MapPost(Prefix + "/transactions", (HttpContext http, CancellationToken _) => Guarded(http, state, async commerce =>
        {
            var body = await ReadJsonAsync(http);
            if (body is null)
            {
                return Error(400, "Malformed JSON");
            }
            foreach (var field in body.Select(p => p.Key))
            {
                if (field is not ("buy_order" or "session_id" or "amount" or "return_url"))
                {
                    return Error(400, $"Unrecognized field '{field}'");
                }
            }
            var buyOrder = Str(body, "buy_order");
            var sessionId = Str(body, "session_id");
            var returnUrl = Str(body, "return_url");
            if (string.IsNullOrEmpty(buyOrder) || buyOrder.Length > 26 || !BuyOrderChars().IsMatch(buyOrder))
            {
                return Error(422, "Invalid value for parameter: buy_order");
            }
            if (string.IsNullOrEmpty(sessionId) || sessionId.Length > 61)
            {
                return Error(422, "Invalid value for parameter: session_id");
            }
            if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 256 || !Uri.TryCreate(returnUrl, UriKind.Absolute, out Uri? _))
            {
                return Error(422, "Invalid value for parameter: return_url");
            }
            // CLP is whole pesos; the .NET SDK writes 1900.0, which is fine.
            if (body["amount"] is not JsonValue amountValue || !amountValue.TryGetValue<decimal>(out var amount) || amount <= 0 || amount != decimal.Truncate(amount))
            {
                return Error(422, "Invalid value for parameter: amount");
            }
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            lock (state.Gate)
            {
                state.WebpayTransactions[token] = new WebpayTransaction
                {
                    Token = token, CommerceCode = commerce, BuyOrder = buyOrder, SessionId = sessionId, Amount = (long)amount, ReturnUrl = returnUrl,
                    CreatedAt = state.Clock.GetUtcNow(),
                };
            }
            return Json(200, new JsonObject { ["token"] = token, ["url"] = new Uri(state.BaseUrl, "webpayserver/initTransaction").ToString() });
        }));

        app.MapPut(Prefix + "/transactions/{token}", (HttpContext http, string token) => Guarded(http, state, commerce =>
        {
            lock (state.Gate)
            {
                if (!Find(state, commerce, token, out var tx, out var error))
                {
                    return Task.FromResult(error!);
                }
                switch (tx!.State)
                {
                    case WebpayState.AwaitingCommit:
                        tx.State = tx.Approved ? WebpayState.Authorized : WebpayState.Failed;
                        tx.Balance = tx.Approved ? tx.Amount : 0;
                        return Task.FromResult(Json(200, Describe(tx)));
                    case WebpayState.Initialized:
                        return Task.FromResult(Error(422, "Invalid status '0' for transaction while authorizing"));
                    case WebpayState.Aborted or WebpayState.TimedOut:
                        // What Transbank answers a commit of an aborted (or lapsed) transaction (transbank-sdk-nodejs#94).
                        return Task.FromResult(Error(422, "Transaction has an invalid finished state: aborted"));
                    default:
                        return Task.FromResult(Error(422, "Transaction already locked by another process"));
                }
            }
        }));

        app.MapGet(Prefix + "/transactions/{token}", (HttpContext http, string token) => Guarded(http, state, commerce =>
        {
            lock (state.Gate)
            {
                if (!Find(state, commerce, token, out var tx, out var error))
                {
                    return Task.FromResult(error!);
                }
                // An aborted or timed-out transaction still answers 200 here, as INITIALIZED (transbank-sdk-nodejs#94):
                // only its commit is refused.
                return Task.FromResult(Json(200, Describe(tx!)));
            }
        }));

        app.MapPost(Prefix + "/transactions/{token}/refunds", (HttpContext http, string token) => Guarded(http, state, async commerce =>
        {
            var body = await ReadJsonAsync(http);
            if (body?["amount"] is not JsonValue value || !value.TryGetValue<decimal>(out var amount) || amount <= 0 || amount != decimal.Truncate(amount))
            {
                return Error(422, "Invalid value for parameter: amount");
            }
            lock (state.Gate)
            {
                if (!Find(state, commerce, token, out var tx, out var error))
                {
                    return error!;
                }
                if (tx!.State is not (WebpayState.Authorized or WebpayState.PartiallyNullified) || (long)amount > tx.Balance)
                {
                    return Error(422, "Invalid value for parameter: amount");
                }
                if (tx.PaymentTypeCode is "VD" or "VP" && (long)amount != tx.Balance)
                {
                    return Error(422, "Partial nullification is not allowed for this payment type");
                }
                var now = state.Clock.GetUtcNow();
                // Within 3 hours a refund of the whole amount is a reversal (D1 producto/webpay); after that, a nullification.
                if ((long)amount == tx.Amount && tx.State == WebpayState.Authorized && now - tx.TransactionDate < TimeSpan.FromHours(3))
                {
                    tx.State = WebpayState.Reversed;
                    tx.Balance = 0;
                    return Json(200, new JsonObject { ["type"] = "REVERSED" });
                }
                tx.Balance -= (long)amount;
                tx.State = tx.Balance == 0 ? WebpayState.Nullified : WebpayState.PartiallyNullified;
                return Json(200, new JsonObject
                {
                    ["type"] = "NULLIFIED", ["authorization_code"] = "123456", ["authorization_date"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    ["nullified_amount"] = (long)amount, ["balance"] = tx.Balance, ["response_code"] = 0,
                });
            }
        }));

        // The hosted payment form. The merchant's page auto-posts token_ws here.
        app.MapPost("/webpayserver/initTransaction", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var token = form["token_ws"].ToString();
            WebpayTransaction? tx;
            lock (state.Gate)
            {
                state.WebpayTransactions.TryGetValue(token, out tx);
            }
            if (tx is null || tx.State != WebpayState.Initialized)
            {
                return InvalidTransactionPage();
            }
            var options = string.Join("", Cards.Select(c => $"<option value=\"{c.Key}\">{c.Key} ({(c.Value.Approved ? "aprobada" : "rechazada")}, {c.Value.Type})</option>"));
            return Results.Content(FakePages.Page("Webpay Plus (simulado)", $"""
                <h1>Webpay Plus</h1>
                <p>Comercio {FakePages.E(tx.CommerceCode)} · Orden {FakePages.E(tx.BuyOrder)}</p>
                <p>Monto: <strong data-amount>{tx.Amount.ToString("N0", CultureInfo.GetCultureInfo("es-CL"))}</strong> CLP</p>
                <form method="post" action="/webpayserver/pay">
                  <input type="hidden" name="token_ws" value="{token}">
                  <label for="card">Número de tarjeta</label>
                  <select id="card" name="card">{options}</select>
                  <button type="submit" name="action" value="pay">Pagar</button>
                  <button type="submit" name="action" value="abort">Anular compra y volver al comercio</button>
                  <button type="submit" name="action" value="timeout">Simular tiempo agotado</button>
                </form>
                """), "text/html; charset=utf-8");
        });

        app.MapPost("/webpayserver/pay", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var token = form["token_ws"].ToString();
            WebpayTransaction? tx;
            lock (state.Gate)
            {
                state.WebpayTransactions.TryGetValue(token, out tx);
                if (tx is null || tx.State != WebpayState.Initialized)
                {
                    return InvalidTransactionPage();
                }
                switch (form["action"].ToString())
                {
                    case "abort":
                        tx.State = WebpayState.Aborted;
                        break;
                    case "timeout":
                        tx.State = WebpayState.TimedOut;
                        break;
                    default:
                        var number = form["card"].ToString();
                        var (approved, type) = Cards.TryGetValue(number, out var card) ? card : (false, "VN");
                        Complete(state, tx, approved, type, number.Length >= 4 ? number[^4..] : "0000");
                        break;
                }
            }
            return tx.State switch
            {
                // Case 1: a GET with token_ws (API ≥ 1.1).
                WebpayState.AwaitingCommit => Results.Redirect(tx.ReturnUrl + (tx.ReturnUrl.Contains('?') ? "&" : "?") + "token_ws=" + token),
                // Case 3: aborts still arrive by POST in integration.
                WebpayState.Aborted => Results.Content(FakePages.AutoPost(tx.ReturnUrl,
                    [("TBK_TOKEN", token), ("TBK_ORDEN_COMPRA", tx.BuyOrder), ("TBK_ID_SESION", tx.SessionId)]), "text/html; charset=utf-8"),
                // Case 2: timeout, no token at all.
                _ => Results.Content(FakePages.AutoPost(tx.ReturnUrl, [("TBK_ORDEN_COMPRA", tx.BuyOrder), ("TBK_ID_SESION", tx.SessionId)]), "text/html; charset=utf-8"),
            };
        });
    }

    private static IResult InvalidTransactionPage() =>
        Results.Content(FakePages.Page("Webpay", "<h1>Transacción no válida</h1>"), "text/html; charset=utf-8", statusCode: 400);

    /// <summary>Approves or rejects at the form without a browser (what a payer's clicks do), leaving the commit to the merchant.</summary>
    public static void Pay(FakeState state, string token, bool approved = true, string type = "VN")
    {
        lock (state.Gate)
        {
            Complete(state, state.WebpayTransactions[token], approved, type, "6623");
        }
    }

    private static void Complete(FakeState state, WebpayTransaction tx, bool approved, string type, string lastDigits)
    {
        tx.State = WebpayState.AwaitingCommit;
        tx.Approved = approved;
        tx.PaymentTypeCode = type;
        tx.CardNumber = lastDigits;
        tx.TransactionDate = state.Clock.GetUtcNow();
    }

    /// <summary>Not committed (yet, or ever): Transbank reports all of these as INITIALIZED, without an authorization.</summary>
    private static bool NeverCommitted(WebpayState state) =>
        state is WebpayState.Initialized or WebpayState.AwaitingCommit or WebpayState.Aborted or WebpayState.TimedOut;

    private static JsonObject Describe(WebpayTransaction tx)
    {
        var status = tx.State switch
        {
            _ when NeverCommitted(tx.State) => "INITIALIZED",
            WebpayState.Authorized => "AUTHORIZED",
            WebpayState.Failed => "FAILED",
            WebpayState.Reversed => "REVERSED",
            WebpayState.Nullified => "NULLIFIED",
            WebpayState.PartiallyNullified => "PARTIALLY_NULLIFIED",
            _ => "FAILED",
        };
        var json = new JsonObject
        {
            ["vci"] = "TSY", ["amount"] = tx.Amount, ["status"] = status, ["buy_order"] = tx.BuyOrder, ["session_id"] = tx.SessionId,
            ["card_detail"] = new JsonObject { ["card_number"] = tx.CardNumber },
            ["accounting_date"] = (tx.TransactionDate ?? tx.CreatedAt).ToString("MMdd", CultureInfo.InvariantCulture),
            ["transaction_date"] = (tx.TransactionDate ?? tx.CreatedAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["installments_number"] = 0,
        };
        if (!NeverCommitted(tx.State))
        {
            json["authorization_code"] = tx.Approved ? "1213" : "000000";
            json["payment_type_code"] = tx.PaymentTypeCode;
            json["response_code"] = tx.Approved ? 0 : -1;
            if (tx.State is WebpayState.PartiallyNullified or WebpayState.Nullified)
            {
                json["balance"] = tx.Balance;
            }
        }
        return json;
    }

    private static bool Find(FakeState state, string commerce, string token, out WebpayTransaction? tx, out IResult? error)
    {
        error = null;
        if (token.Length != 64 || !state.WebpayTransactions.TryGetValue(token, out tx) || tx.CommerceCode != commerce)
        {
            tx = null;
            error = token.Length is 0 or > 64 ? Error(422, "Invalid value for parameter: token") : Error(404, "Transaction not found");
            return false;
        }
        return true;
    }

    private static async Task<IResult> Guarded(HttpContext http, FakeState state, Func<string, Task<IResult>> handler)
    {
        var code = http.Request.Headers["Tbk-Api-Key-Id"].ToString();
        var secret = http.Request.Headers["Tbk-Api-Key-Secret"].ToString();
        bool known;
        lock (state.Gate)
        {
            known = state.WebpayAccounts.TryGetValue(code, out var expected) && expected == secret;
        }
        if (!known)
        {
            return Error(401, "Not Authorized");
        }
        if (http.Request.Method is "POST" or "PUT" && !(http.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Error(415, "Unsupported Media Type");
        }
        return await handler(code);
    }

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Str(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static IResult Error(int status, string message) => Json(status, new JsonObject { ["error_message"] = message });

    private static IResult Json(int status, JsonNode body) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);

    [GeneratedRegex(@"^[A-Za-z0-9|_=&%.,~:/?\[+!@()>\-]+$")]
    private static partial Regex BuyOrderChars();
}
