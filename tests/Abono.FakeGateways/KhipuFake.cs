using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Abono.FakeGateways;

public sealed class KhipuPayment
{
    public required string Id { get; init; }
    public required string ApiKey { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string Subject { get; init; }
    public string? TransactionId { get; init; }
    public string? ReturnUrl { get; init; }
    public string? CancelUrl { get; init; }
    public string? NotifyUrl { get; init; }
    public string? FixedPayer { get; init; }

    /// <summary>The request's expires_date: past it, a payment nobody has started paying can no longer be paid.</summary>
    public DateTimeOffset? ExpiresDate { get; init; }
    public string Status { get; set; } = "pending";
    public string StatusDetail { get; set; } = "pending";
    public long Refunded { get; set; }

    /// <summary>Khipu has paid the funds out to the merchant: refunds are no longer possible.</summary>
    public bool PaidOut { get; set; }
}

/// <summary>A notification Khipu keeps retrying (up to two days) until the merchant answers 200.</summary>
public sealed class KhipuNotification
{
    public required KhipuPayment Payment { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset FirstAttempt { get; init; }
    public int Attempts { get; set; }
    public bool Delivered { get; set; }
}

/// <summary>
/// Khipu instant payments API v3: x-api-key on every call, JSON bodies, POST /v3/payments (amount, currency and
/// subject required; CLP amounts whole), GET /v3/payments/{id}, refunds only before the payout, GET /v3/banks, the
/// payer's page (fixed to one RUT when asked), and notifications 3.0 signed with x-khipu-signature, retried until
/// they get a 200 for two days.
/// </summary>
public static class KhipuFake
{
    public static readonly TimeSpan RetryFor = TimeSpan.FromDays(2);

    public static void Map(WebApplication app, FakeState state)
    {
        app.MapPost("/v3/payments", (HttpContext http, CancellationToken _) => Guarded(http, state, async apiKey =>
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
            if (body is null)
            {
                return Error(400, "Request body is not valid JSON");
            }
            if (body["amount"] is not JsonValue a || !a.TryGetValue<decimal>(out var amount) || amount <= 0)
            {
                return Error(400, "amount is required and must be a positive number");
            }
            if ((string?)body["currency"] is not ("CLP" or "CLF" or "USD" or "ARS" or "PEN" or "MXN" or "BOB" or "EUR") || (string?)body["subject"] is not { Length: > 0 })
            {
                return Error(400, "currency and subject are required");
            }
            if ((string?)body["currency"] == "CLP" && amount != decimal.Truncate(amount))
            {
                return Error(400, "amount for CLP must have no decimals");
            }
            foreach (var url in new[] { "return_url", "cancel_url", "notify_url" })
            {
                if (body[url] is { } u && (!Uri.TryCreate((string?)u, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
                {
                    return Error(400, $"{url} must be an absolute http(s) URL");
                }
            }
            if (body["notify_url"] is not null && (string?)body["notify_api_version"] != "3.0")
            {
                return Error(400, "notify_api_version must be 3.0 for API v3 notifications");
            }
            var payment = new KhipuPayment
            {
                Id = Guid.NewGuid().ToString("N")[..12], ApiKey = apiKey, Amount = (long)amount, Currency = (string)body["currency"]!,
                Subject = (string)body["subject"]!, TransactionId = (string?)body["transaction_id"], ReturnUrl = (string?)body["return_url"],
                CancelUrl = (string?)body["cancel_url"], NotifyUrl = (string?)body["notify_url"], FixedPayer = (string?)body["fixed_payer_personal_identifier"],
                ExpiresDate = DateTimeOffset.TryParse((string?)body["expires_date"], System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var expires) ? expires : null,
            };
            lock (state.Gate)
            {
                state.KhipuPayments[payment.Id] = payment;
            }
            var url2 = new Uri(state.BaseUrl, $"khipu/payment/{payment.Id}").ToString();
            return Json(200, new JsonObject
            {
                ["payment_id"] = payment.Id, ["payment_url"] = url2, ["simplified_transfer_url"] = url2, ["transfer_url"] = url2,
                ["app_url"] = $"khipu:///pos/{payment.Id}", ["ready_for_terminal"] = false,
            });
        }));

        app.MapGet("/v3/payments/{id}", (HttpContext http, string id) => Guarded(http, state, apiKey =>
        {
            lock (state.Gate)
            {
                return Task.FromResult(state.KhipuPayments.TryGetValue(id, out var p) && p.ApiKey == apiKey
                    ? Json(200, Describe(p))
                    : Error(404, "Payment not found"));
            }
        }));

        app.MapPost("/v3/payments/{id}/refunds", (HttpContext http, string id) => Guarded(http, state, async apiKey =>
        {
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
                if (!state.KhipuPayments.TryGetValue(id, out var p) || p.ApiKey != apiKey)
                {
                    return Error(404, "Payment not found");
                }
                var amount = body?["amount"] is JsonValue v && v.TryGetValue<decimal>(out var a) ? a : p.Amount - p.Refunded;
                if (p.Status != "done" || p.StatusDetail != "normal")
                {
                    return Error(400, "Payment is not in a refundable state");
                }
                if (p.PaidOut)
                {
                    return Error(400, "Payment has already been transferred to the merchant");
                }
                if (amount <= 0 || amount != decimal.Truncate(amount) || p.Refunded + (long)amount > p.Amount)
                {
                    return Error(400, "Invalid refund amount");
                }
                p.Refunded += (long)amount;
                return Json(200, new JsonObject { ["message"] = "Reembolso efectuado" });
            }
        }));

        app.MapGet("/v3/banks", (HttpContext http, CancellationToken _) => Guarded(http, state, _ => Task.FromResult(Json(200, new JsonObject
        {
            ["banks"] = new JsonArray(
                new JsonObject { ["bank_id"] = "Bawdf", ["name"] = "DemoBank", ["message"] = "", ["min_amount"] = 200, ["type"] = "Persona", ["parent"] = "" }),
        }))));

        // The payer's page.
        app.MapGet("/khipu/payment/{id}", (string id) =>
        {
            KhipuPayment? p;
            lock (state.Gate)
            {
                state.KhipuPayments.TryGetValue(id, out p);
            }
            if (p is null)
            {
                return Results.Content(FakePages.Page("Khipu", "<h1>Cobro no encontrado</h1>"), "text/html; charset=utf-8", statusCode: 404);
            }
            var fixedPayer = p.FixedPayer is null ? "" : $"<p data-testid=\"fixed-payer\">Solo puede pagar el RUT {FakePages.E(p.FixedPayer)}</p>";
            return Results.Content(FakePages.Page("Khipu (simulado)", $"""
                <h1>Khipu</h1>
                <p>{FakePages.E(p.Subject)}</p>
                <p>Total: <strong>$ {p.Amount.ToString("N0", CultureInfo.GetCultureInfo("es-CL"))}</strong></p>
                {fixedPayer}
                <form method="post" action="/khipu/pay">
                  <input type="hidden" name="payment_id" value="{FakePages.E(p.Id)}">
                  <label>RUT del pagador <input name="rut" value="{FakePages.E(p.FixedPayer ?? "11111111-1")}"></label>
                  <button type="submit" name="result" value="pay">Pagar con DemoBank</button>
                  <button type="submit" name="result" value="reject">Rechazar el pago</button>
                  <button type="submit" name="result" value="back">Volver al comercio</button>
                </form>
                """), "text/html; charset=utf-8");
        });

        app.MapPost("/khipu/pay", async (HttpContext http, CancellationToken _) =>
        {
            var form = await http.Request.ReadFormAsync();
            KhipuPayment? p;
            lock (state.Gate)
            {
                state.KhipuPayments.TryGetValue(form["payment_id"].ToString(), out p);
            }
            if (p is null)
            {
                return Results.NotFound();
            }
            switch (form["result"].ToString())
            {
                case "back":
                    return Results.Redirect(p.CancelUrl ?? p.ReturnUrl ?? "/");
                case "reject":
                    await DecideAsync(state, p.Id, approved: false);
                    return Results.Redirect(p.ReturnUrl ?? "/");
                default:
                    if (p.FixedPayer is not null && Clean(form["rut"].ToString()) != Clean(p.FixedPayer))
                    {
                        return Results.Content(FakePages.Page("Khipu (simulado)", "<h1>Este cobro solo lo puede pagar el RUT indicado</h1>"), "text/html; charset=utf-8", statusCode: 400);
                    }
                    await DecideAsync(state, p.Id, approved: true);
                    return Results.Redirect(p.ReturnUrl ?? "/");
            }
        });
    }

    private static string Clean(string rut) => new string(rut.Where(ch => char.IsAsciiDigit(ch) || ch is 'k' or 'K').ToArray()).ToUpperInvariant();

    /// <summary>The payer pays (done/normal) or rejects (done/rejected-by-payer); Khipu then notifies the merchant.</summary>
    public static async Task DecideAsync(FakeState state, string paymentId, bool approved = true)
    {
        KhipuPayment p;
        lock (state.Gate)
        {
            p = state.KhipuPayments[paymentId];
            if (p.Status == "done" || Lapsed(state, p))
            {
                return;
            }
            p.Status = "done";
            p.StatusDetail = approved ? "normal" : "rejected-by-payer";
        }
        await NotifyAsync(state, p);
    }

    /// <summary>A bank transfer Khipu has still to verify (status verifying): nothing to notify yet.</summary>
    public static void Verifying(FakeState state, string paymentId)
    {
        lock (state.Gate)
        {
            var p = state.KhipuPayments[paymentId];
            if (Lapsed(state, p))
            {
                return;
            }
            p.Status = "verifying";
            p.StatusDetail = "normal";
        }
    }

    /// <summary>A payment still pending past its expires_date: Khipu no longer lets anyone pay it (one being verified goes on).</summary>
    private static bool Lapsed(FakeState state, KhipuPayment p) =>
        p.Status == "pending" && p.ExpiresDate is { } expires && state.Clock.GetUtcNow() > expires;

    public static async Task NotifyAsync(FakeState state, KhipuPayment p)
    {
        if (string.IsNullOrEmpty(p.NotifyUrl))
        {
            return;
        }
        JsonObject body;
        lock (state.Gate)
        {
            body = Describe(p);
            body["receiver_id"] = 985_101;
        }
        var notification = new KhipuNotification { Payment = p, Body = body.ToJsonString(), FirstAttempt = state.Clock.GetUtcNow() };
        lock (state.Gate)
        {
            state.KhipuNotifications.Add(notification);
        }
        await AttemptAsync(state, notification);
    }

    /// <summary>Khipu's retries: every notification not yet answered with a 200 is sent again, signed anew, for two days.</summary>
    public static async Task RetryNotificationsAsync(FakeState state)
    {
        List<KhipuNotification> due;
        lock (state.Gate)
        {
            due = state.KhipuNotifications.Where(n => !n.Delivered && state.Clock.GetUtcNow() - n.FirstAttempt <= RetryFor).ToList();
        }
        foreach (var notification in due)
        {
            await AttemptAsync(state, notification);
        }
    }

    private static async Task AttemptAsync(FakeState state, KhipuNotification notification)
    {
        string secret;
        lock (state.Gate)
        {
            secret = state.KhipuAccounts.TryGetValue(notification.Payment.ApiKey, out var s) ? s : "";
            notification.Attempts++;
        }
        var headers = new Dictionary<string, string> { ["x-khipu-signature"] = SignatureHeader(secret, state.Clock.GetUtcNow(), notification.Body) };
        var delivered = await state.SendWebhookForAnswerAsync(new RecordedWebhook("khipu", new Uri(notification.Payment.NotifyUrl!), notification.Body, headers));
        lock (state.Gate)
        {
            notification.Delivered |= delivered;
        }
    }

    /// <summary>t = Unix milliseconds; s = Base64(HMAC-SHA256(secret, t + "." + body)), computed here on its own (not the app's code).</summary>
    public static string SignatureHeader(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},s={Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body)))}";
    }

    private static JsonObject Describe(KhipuPayment p) => new()
    {
        ["payment_id"] = p.Id, ["payment_url"] = $"https://khipu.com/payment/info/{p.Id}", ["subject"] = p.Subject, ["amount"] = p.Amount,
        ["currency"] = p.Currency, ["status"] = p.Status, ["status_detail"] = p.StatusDetail, ["body"] = "", ["receipt_url"] = null,
        ["transaction_id"] = p.TransactionId, ["custom"] = "", ["bank"] = p.Status == "done" ? "DemoBank" : "", ["bank_id"] = p.Status == "done" ? "Bawdf" : "",
        ["payer_name"] = "", ["payer_email"] = "", ["personal_identifier"] = p.FixedPayer ?? "", ["out_of_date_conciliation"] = false,
        ["ready_for_terminal"] = false,
    };

    private static async Task<IResult> Guarded(HttpContext http, FakeState state, Func<string, Task<IResult>> handler)
    {
        var apiKey = http.Request.Headers["x-api-key"].ToString();
        bool known;
        lock (state.Gate)
        {
            known = apiKey.Length > 0 && state.KhipuAccounts.ContainsKey(apiKey);
        }
        return known ? await handler(apiKey) : Error(401, "Invalid API key");
    }

    private static IResult Error(int status, string message) => Json(status, new JsonObject { ["status"] = status, ["message"] = message });

    private static IResult Json(int status, JsonNode body) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);
}
