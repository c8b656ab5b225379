using Microsoft.Extensions.Options;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Abono.Web.Gateways.Khipu;

/// <summary>
/// Khipu instant payments (API v3). A payment (integer CLP amount, transaction_id = our checkout id, optionally fixed
/// to the customer's RUT) sends the payer to Khipu; the browser's return is only a hint; the answer is always
/// GET /v3/payments/{id} checked for status, amount, currency and transaction_id. Notifications (API 3.0) are signed
/// with x-khipu-signature over the raw body and only make us read the payment again. Khipu retries a notification for
/// up to two days until it gets a 200, so a retry meets the inbox's unique key.
/// </summary>
public sealed class KhipuGateway(IHttpClientFactory httpClients, IOptions<GatewaysOptions> options, TimeProvider clock, ILogger<KhipuGateway> logger) : IPaymentGateway
{
    public const string HttpClientName = "khipu";

    public GatewayKind Kind => GatewayKind.Khipu;

    public GatewayCapabilities Capabilities => GatewayCapabilities.StatusQuery | GatewayCapabilities.Webhooks | GatewayCapabilities.Refunds
        | GatewayCapabilities.PartialRefunds | GatewayCapabilities.ConnectionTest;

    public async Task<GatewayStart> StartAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        var returnUrl = checkout.ReturnUrl.ToString();
        var payment = new Dictionary<string, object?>
        {
            ["amount"] = checkout.Amount,
            ["currency"] = "CLP",
            ["subject"] = checkout.Description,
            ["transaction_id"] = checkout.Id.ToString(),
            ["return_url"] = returnUrl,
            ["cancel_url"] = returnUrl + "?cancelado=1",
            ["notify_url"] = context.WebhookUrl(Kind).ToString(),
            ["notify_api_version"] = "3.0",
            ["expires_date"] = new DateTimeOffset(checkout.ExpiresAt, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["send_email"] = false,
            // Only the customer (its RUT) can pay this one: a forwarded link cannot be paid from someone else's account.
            ["fixed_payer_personal_identifier"] = checkout.PayerIdentifier,
        };
        try
        {
            var created = await Client(context).CreatePaymentAsync(payment, ct);
            var id = created.Text("payment_id");
            var url = created.Text("payment_url");
            if (id is null || url is null)
            {
                throw new HttpRequestException("Khipu's payment lacks payment_id or payment_url.");
            }
            return new GatewayStart(new Uri(url), PostForm: false, new Dictionary<string, string>(), id);
        }
        catch (KhipuApiException ex)
        {
            throw new GatewayRefusedException(ex.SpanishMessage, ex.Message);
        }
        catch (UriFormatException ex)
        {
            throw new HttpRequestException("Khipu's payment_url is not a URL.", ex);
        }
    }

    public async Task<GatewayStatus> HandleReturnAsync(GatewayContext context, GatewayCheckout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct)
    {
        var status = await QueryStatusAsync(context, checkout, ct);
        return status.Outcome == GatewayOutcome.Pending && status.Reason != Verifying && returnData.ContainsKey("cancelado")
            ? status with { Outcome = GatewayOutcome.Cancelled, Reason = "Volviste de Khipu sin pagar. No se realizó ningún cargo." }
            : status;
    }

    public async Task<GatewayStatus> QueryStatusAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        if (checkout.GatewayReference is null)
        {
            return new GatewayStatus(GatewayOutcome.Pending, null, null, null, "El pago aún no se inicia.");
        }
        try
        {
            var status = Read(await Client(context).PaymentAsync(checkout.GatewayReference, ct), checkout.Id);
            // A transfer Khipu is still verifying past our deadline may yet be paid: not a "not paid" that expires it.
            return status.Outcome == GatewayOutcome.Pending && status.Reason == Verifying && clock.GetUtcNow().UtcDateTime > checkout.ExpiresAt
                ? status with { Outcome = GatewayOutcome.Unknown }
                : status;
        }
        catch (KhipuApiException ex)
        {
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, ex.SpanishMessage);
        }
    }

    private const string Verifying = "Khipu está verificando la transferencia.";

    /// <summary>Paid = status done with a detail that is not a rejection, an abuse mark or a reversal.</summary>
    private GatewayStatus Read(JsonElement payment, Guid checkoutId)
    {
        var id = payment.Text("payment_id");
        if (payment.Text("transaction_id") != checkoutId.ToString())
        {
            logger.LogWarning("Khipu payment {PaymentId} does not belong to checkout {CheckoutId}.", id, checkoutId);
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, id, "La respuesta de Khipu no corresponde a este pago.");
        }
        var amount = GatewayJson.WholeAmount(payment, "amount");
        var currency = payment.Text("currency");
        return (payment.Text("status"), payment.Text("status_detail")) switch
        {
            ("done", "rejected-by-payer") => new GatewayStatus(GatewayOutcome.Rejected, amount, currency, id, "Rechazaste el pago en Khipu. No se realizó ningún cargo."),
            ("done", "marked-as-abuse" or "reversed") => new GatewayStatus(GatewayOutcome.Unknown, amount, currency, id, "Khipu informó un estado que requiere revisión."),
            ("done", _) => new GatewayStatus(GatewayOutcome.Approved, amount, currency, id),
            ("verifying", _) => new GatewayStatus(GatewayOutcome.Pending, amount, currency, id, Verifying),
            ("pending", _) => new GatewayStatus(GatewayOutcome.Pending, amount, currency, id, "El pago sigue pendiente en Khipu."),
            _ => new GatewayStatus(GatewayOutcome.Unknown, amount, currency, id, "Khipu informó un estado que requiere revisión."),
        };
    }

    public GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request)
    {
        if (!KhipuSignature.IsValid(request.Header("x-khipu-signature"), request.RawBody, context.Secret("NotificationSecret"), clock.GetUtcNow()))
        {
            return null;
        }
        // Khipu signed these bytes: from here on a body we cannot read is malformed (400), not forged (401).
        string? paymentId;
        try
        {
            using var body = JsonDocument.Parse(request.RawBody);
            paymentId = body.RootElement.Text("payment_id");
        }
        catch (JsonException ex)
        {
            throw new GatewayWebhookMalformedException("The signed Khipu notification is not JSON.", ex);
        }
        if (string.IsNullOrEmpty(paymentId) || paymentId.Length > 100)
        {
            throw new GatewayWebhookMalformedException("The signed Khipu notification names no payment_id.");
        }
        // Notifications 3.0 carry no id of their own: the payment and the body's hash key them, so a retry of the
        // same notification is a duplicate and a later one (the payment changed) is a new event.
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.RawBody)))[..32];
        return new GatewayWebhook($"{paymentId}:{digest}", "payment", paymentId, request.RawBody);
    }

    public async Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct)
    {
        if (webhook.Type != "payment" || string.IsNullOrEmpty(webhook.ResourceId))
        {
            return WebhookResolution.Ignore;
        }
        JsonElement payment;
        try
        {
            payment = await Client(context).PaymentAsync(webhook.ResourceId, ct);
        }
        catch (KhipuApiException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            return WebhookResolution.Ignore;
        }
        return Guid.TryParse(payment.Text("transaction_id"), out var checkoutId) ? new WebhookResolution(checkoutId, Read(payment, checkoutId)) : WebhookResolution.Ignore;
    }

    public async Task<GatewayRefund> RefundAsync(GatewayContext context, GatewayCheckout checkout, long amount, string idempotencyKey, CancellationToken ct)
    {
        try
        {
            // Khipu takes no idempotency key: a refund whose answer was lost is Unknown, and never retried blindly.
            await Client(context).RefundAsync(checkout.GatewayReference!, amount, ct);
            return new GatewayRefund(RefundOutcome.Succeeded, checkout.GatewayReference, null);
        }
        catch (KhipuApiException ex)
        {
            return new GatewayRefund(RefundOutcome.Refused, null, ex.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                ? ex.SpanishMessage
                : "Khipu no aceptó el reembolso (solo es posible antes de que Khipu te transfiera el pago); devuelve el dinero por transferencia.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(ex, "Refund of checkout {CheckoutId} got no clear answer from Khipu.", checkout.Id);
            return new GatewayRefund(RefundOutcome.Unknown, null, "Khipu no respondió; revisa el reembolso en tu cuenta de Khipu antes de reintentar.");
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct)
    {
        try
        {
            await Client(context).BanksAsync(ct);
            return new ConnectionTestResult(true, "Khipu respondió y aceptó la llave de la API.");
        }
        catch (KhipuApiException ex)
        {
            return new ConnectionTestResult(false, ex.SpanishMessage);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new ConnectionTestResult(false, "No se pudo conectar con Khipu.");
        }
    }

    private KhipuClient Client(GatewayContext context) =>
        new(httpClients.CreateClient(HttpClientName), new Uri(options.Value.Khipu.BaseUrl is { Length: > 0 } b ? b : KhipuClient.DefaultBase),
            context.Secret("ApiKey"));
}
