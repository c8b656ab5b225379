using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Abono.Web.Gateways.MercadoPago;

/// <summary>
/// Mercado Pago Checkout Pro. A preference (integer CLP unit_price, external_reference = our checkout id) sends the
/// payer to Mercado Pago; the browser's return is only a hint; the answer is always GET /v1/payments/{id} (or a search
/// by external_reference) checked for status, amount, currency and reference. Webhooks are signed (x-signature).
/// </summary>
public sealed class MercadoPagoGateway(IHttpClientFactory httpClients, IOptions<GatewaysOptions> options, TimeProvider clock, ILogger<MercadoPagoGateway> logger) : IPaymentGateway
{
    public const string HttpClientName = "mercadopago";

    public GatewayKind Kind => GatewayKind.MercadoPago;

    public GatewayCapabilities Capabilities => GatewayCapabilities.StatusQuery | GatewayCapabilities.Webhooks | GatewayCapabilities.Refunds
        | GatewayCapabilities.PartialRefunds | GatewayCapabilities.ConnectionTest | GatewayCapabilities.WebhookHints;

    public async Task<GatewayStart> StartAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        var returnUrl = checkout.ReturnUrl.ToString();
        var preference = new
        {
            items = new[]
            {
                new { id = checkout.Id.ToString(), title = checkout.Description, quantity = 1, currency_id = "CLP", unit_price = checkout.Amount },
            },
            external_reference = checkout.Id.ToString(),
            back_urls = new { success = returnUrl, pending = returnUrl, failure = returnUrl },
            auto_return = "approved",
            // source_news=webhooks: signed Webhooks only, not the unsigned legacy IPN.
            notification_url = context.WebhookUrl(Kind) + "?source_news=webhooks",
            statement_descriptor = Descriptor(context.MerchantName),
            expires = true,
            expiration_date_to = new DateTimeOffset(checkout.ExpiresAt, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"),
        };
        try
        {
            var created = await Client(context).CreatePreferenceAsync(preference, ct);
            return new GatewayStart(new Uri(created.GetProperty("init_point").GetString()!), PostForm: false, new Dictionary<string, string>(),
                created.GetProperty("id").GetString());
        }
        catch (MercadoPagoApiException ex)
        {
            throw new GatewayRefusedException(ex.SpanishMessage, ex.Message);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or UriFormatException)
        {
            throw new HttpRequestException("Mercado Pago's preference lacks id or init_point.", ex);
        }
    }

    public async Task<GatewayStatus> HandleReturnAsync(GatewayContext context, GatewayCheckout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct)
    {
        // payment_id in the URL is a hint of where to look; the payment itself must name this checkout.
        if (returnData.TryGetValue("payment_id", out var paymentId) && long.TryParse(paymentId, out _))
        {
            try
            {
                var status = await PaymentStatusAsync(context, paymentId, ct);
                if (status.CheckoutId == checkout.Id)
                {
                    return status.Status!;
                }
            }
            catch (MercadoPagoApiException)
            {
                // The hinted payment cannot be read with these credentials: ask by our own reference instead.
            }
        }
        var current = await QueryStatusAsync(context, checkout, ct);
        return current.Outcome == GatewayOutcome.Pending && returnData.TryGetValue("status", out var hint) && hint == "null"
            ? current with { Outcome = GatewayOutcome.Cancelled, Reason = "Volviste de Mercado Pago sin pagar. No se realizó ningún cargo." }
            : current;
    }

    public async Task<GatewayStatus> QueryStatusAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        JsonElement found;
        try
        {
            found = await Client(context).SearchPaymentsAsync(checkout.Id.ToString(), ct);
        }
        catch (MercadoPagoApiException ex)
        {
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, ex.SpanishMessage);
        }
        var payments = found.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array ? results.EnumerateArray().ToList() : [];
        var statuses = payments.Select(p => Read(p, checkout.Id)).ToList();
        // A payer may fail with one card and pay with another in the same preference: any approval wins, the one for
        // the checkout's amount first (another one, of another amount, is booked apart and must not hide it).
        return statuses.FirstOrDefault(s => s.Outcome == GatewayOutcome.Approved && s.Amount == checkout.Amount)
            ?? statuses.FirstOrDefault(s => s.Outcome == GatewayOutcome.Approved)
            ?? statuses.FirstOrDefault(s => s.Outcome is GatewayOutcome.Pending or GatewayOutcome.Unknown)
            ?? statuses.FirstOrDefault()
            ?? new GatewayStatus(GatewayOutcome.Pending, null, null, checkout.GatewayReference, "Aún no hay un pago en Mercado Pago.");
    }

    public GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request)
    {
        var dataId = request.QueryValue("data.id");
        if (!MercadoPagoSignature.IsValid(request.Header("x-signature"), dataId, request.Header("x-request-id"), context.Secret("WebhookSecret"), clock.GetUtcNow()))
        {
            return null;
        }
        string? eventId = null, type = null;
        try
        {
            using var body = JsonDocument.Parse(request.RawBody);
            if (body.RootElement.TryGetProperty("id", out var id))
            {
                eventId = id.ValueKind == JsonValueKind.Number ? id.GetRawText() : id.GetString();
            }
            type = body.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
        type ??= request.QueryValue("type");
        // The signed parts are data.id and x-request-id: an event without its own id is keyed by the request id.
        return new GatewayWebhook(eventId ?? request.Header("x-request-id"), type ?? "", dataId, request.RawBody);
    }

    /// <summary>
    /// Webhooks (<c>?data.id=…&amp;type=payment</c>, JSON body) and the older IPN shape (<c>?id=…&amp;topic=payment</c>,
    /// often no body) both name a payment id; that id is all we take from an unsigned notification.
    /// </summary>
    public GatewayWebhook? ReadUnverifiedHint(WebhookRequest request)
    {
        var type = FirstOf(request.QueryValue("type"), request.QueryValue("topic"));
        var id = FirstOf(request.QueryValue("data.id"), request.QueryValue("id"));
        if ((type.Length == 0 || id.Length == 0) && request.RawBody.Length > 0)
        {
            try
            {
                using var body = JsonDocument.Parse(request.RawBody);
                var root = body.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (type.Length == 0 && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String)
                    {
                        type = t.GetString()!;
                    }
                    if (id.Length == 0 && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                        && data.TryGetProperty("id", out var d))
                    {
                        id = d.ValueKind == JsonValueKind.Number ? d.GetRawText() : d.GetString() ?? "";
                    }
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }
        if (type.Length == 0)
        {
            return null;
        }
        if (type != "payment")
        {
            return new GatewayWebhook("", type, "", request.RawBody);
        }
        return id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit) ? new GatewayWebhook("", type, id, request.RawBody) : null;
    }

    private static string FirstOf(string a, string b) => a.Length > 0 ? a : b;

    public async Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct)
    {
        if (webhook.Type != "payment" || !long.TryParse(webhook.ResourceId, out _))
        {
            return WebhookResolution.Ignore;
        }
        var (checkoutId, status) = await PaymentStatusAsync(context, webhook.ResourceId, ct);
        return checkoutId is null ? WebhookResolution.Ignore : new WebhookResolution(checkoutId, status);
    }

    private async Task<(Guid? CheckoutId, GatewayStatus? Status)> PaymentStatusAsync(GatewayContext context, string paymentId, CancellationToken ct)
    {
        JsonElement payment;
        try
        {
            payment = await Client(context).PaymentAsync(paymentId, ct);
        }
        catch (MercadoPagoApiException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            return (null, null);
        }
        var reference = payment.TryGetProperty("external_reference", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        return Guid.TryParse(reference, out var checkoutId) ? (checkoutId, Read(payment, checkoutId)) : (null, null);
    }

    private GatewayStatus Read(JsonElement payment, Guid checkoutId)
    {
        var id = payment.TryGetProperty("id", out var pid) ? pid.GetRawText().Trim('"') : null;
        var reference = payment.TryGetProperty("external_reference", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        if (reference != checkoutId.ToString())
        {
            logger.LogWarning("Mercado Pago payment {PaymentId} does not belong to checkout {CheckoutId}.", id, checkoutId);
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, id, "La respuesta de Mercado Pago no corresponde a este pago.");
        }
        var amount = GatewayJson.WholeAmount(payment, "transaction_amount");
        var currency = payment.TryGetProperty("currency_id", out var c) ? c.GetString() : null;
        var status = payment.TryGetProperty("status", out var s) ? s.GetString() : null;
        return status switch
        {
            "approved" => new GatewayStatus(GatewayOutcome.Approved, amount, currency, id),
            "pending" or "in_process" or "authorized" => new GatewayStatus(GatewayOutcome.Pending, amount, currency, id, "Mercado Pago está procesando el pago."),
            "rejected" => new GatewayStatus(GatewayOutcome.Rejected, amount, currency, id, "Mercado Pago rechazó el pago. No se realizó ningún cargo."),
            "cancelled" => new GatewayStatus(GatewayOutcome.Cancelled, amount, currency, id, "El pago fue cancelado en Mercado Pago."),
            _ => new GatewayStatus(GatewayOutcome.Unknown, amount, currency, id, "Mercado Pago informó un estado que requiere revisión."),
        };
    }

    public async Task<GatewayRefund> RefundAsync(GatewayContext context, GatewayCheckout checkout, long amount, string idempotencyKey, CancellationToken ct)
    {
        try
        {
            var refund = await Client(context).RefundAsync(checkout.GatewayReference!, amount, idempotencyKey, ct);
            var id = refund.TryGetProperty("id", out var rid) ? rid.GetRawText().Trim('"') : null;
            return new GatewayRefund(RefundOutcome.Succeeded, id, null);
        }
        catch (MercadoPagoApiException ex)
        {
            return new GatewayRefund(RefundOutcome.Refused, null, ex.SpanishMessage);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(ex, "Refund of checkout {CheckoutId} got no clear answer from Mercado Pago.", checkout.Id);
            return new GatewayRefund(RefundOutcome.Unknown, null, "Mercado Pago no respondió; revisa el reembolso en tu cuenta de Mercado Pago antes de reintentar.");
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct)
    {
        try
        {
            await Client(context).MeAsync(ct);
            return new ConnectionTestResult(true, "Mercado Pago respondió y aceptó el access token.");
        }
        catch (MercadoPagoApiException ex)
        {
            return new ConnectionTestResult(false, ex.SpanishMessage);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new ConnectionTestResult(false, "No se pudo conectar con Mercado Pago.");
        }
    }

    private static string Descriptor(string merchant)
    {
        var clean = new string(merchant.Where(ch => char.IsAsciiLetterOrDigit(ch) || ch == ' ').ToArray()).Trim();
        return clean.Length > 22 ? clean[..22] : clean.Length == 0 ? "ABONO" : clean;
    }

    private MercadoPagoClient Client(GatewayContext context) =>
        new(httpClients.CreateClient(HttpClientName), new Uri(options.Value.MercadoPago.BaseUrl is { Length: > 0 } b ? b : MercadoPagoClient.DefaultBase),
            context.Secret("AccessToken"));
}
