using Microsoft.Extensions.Options;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Abono.Web.Gateways.Flow;

/// <summary>
/// Flow (API v1): one order (commerceOrder = our checkout id, integer CLP amount) sends the payer to Flow, which then
/// offers Webpay, Khipu, Mach and others. Every call is signed with the secretKey. Flow's confirmation POST to
/// urlConfirmation carries only a token and no signature: a hint, stored and answered 200 at once (Flow waits 15 s at
/// most), then resolved with the signed payment/getStatus — the only answer we believe (status 2 with our amount,
/// currency and commerceOrder).
/// </summary>
public sealed class FlowGateway(IHttpClientFactory httpClients, IOptions<GatewaysOptions> options, TimeProvider clock, ILogger<FlowGateway> logger) : IPaymentGateway
{
    public const string HttpClientName = "flow";

    /// <summary>Refund callbacks come to the same endpoint, marked so that they are not read as payments.</summary>
    public const string RefundCallbackMark = "tipo=reembolso";

    public GatewayKind Kind => GatewayKind.Flow;

    public GatewayCapabilities Capabilities => GatewayCapabilities.StatusQuery | GatewayCapabilities.Webhooks | GatewayCapabilities.WebhookHints
        | GatewayCapabilities.Refunds | GatewayCapabilities.PartialRefunds | GatewayCapabilities.ConnectionTest;

    public async Task<GatewayStart> StartAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        var email = checkout.PayerEmail is { Length: > 0 } payer ? payer : context.Setting("Email");
        var seconds = (long)Math.Ceiling((checkout.ExpiresAt - clock.GetUtcNow().UtcDateTime).TotalSeconds);
        var parameters = new Dictionary<string, string>
        {
            ["commerceOrder"] = checkout.Id.ToString(),
            ["subject"] = checkout.Description,
            ["currency"] = "CLP",
            ["amount"] = checkout.Amount.ToString(CultureInfo.InvariantCulture),
            ["email"] = email,
            ["paymentMethod"] = "9",
            ["urlConfirmation"] = context.WebhookUrl(Kind).ToString(),
            ["urlReturn"] = checkout.ReturnUrl.ToString(),
            // Without a timeout a Flow order never expires; ours would be closed while Flow could still take money.
            ["timeout"] = Math.Max(60, seconds).ToString(CultureInfo.InvariantCulture),
        };
        try
        {
            var created = await Client(context).CreatePaymentAsync(parameters, ct);
            var url = created.Text("url");
            var token = created.Text("token");
            if (url is null || token is null)
            {
                throw new HttpRequestException("Flow's order lacks url or token.");
            }
            return new GatewayStart(new Uri(url + "?token=" + Uri.EscapeDataString(token)), PostForm: false, new Dictionary<string, string>(), token);
        }
        catch (FlowApiException ex)
        {
            throw new GatewayRefusedException(ex.SpanishMessage, ex.Message);
        }
        catch (UriFormatException ex)
        {
            throw new HttpRequestException("Flow's url is not a URL.", ex);
        }
    }

    /// <summary>Flow posts the token back to urlReturn; it only has to be this checkout's, and the status is read again.</summary>
    public Task<GatewayStatus> HandleReturnAsync(GatewayContext context, GatewayCheckout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct) =>
        QueryStatusAsync(context, checkout, ct);

    public async Task<GatewayStatus> QueryStatusAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        if (checkout.GatewayReference is null)
        {
            return new GatewayStatus(GatewayOutcome.Pending, null, null, null, "El pago aún no se inicia.");
        }
        try
        {
            return Read(await Client(context).StatusAsync(checkout.GatewayReference, ct), checkout.Id, checkout.GatewayReference);
        }
        catch (FlowApiException ex)
        {
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, ex.SpanishMessage);
        }
    }

    /// <summary>status: 1 pending, 2 paid, 3 rejected, 4 annulled. The reference is the order's token (one payment each).</summary>
    private GatewayStatus Read(JsonElement order, Guid checkoutId, string token)
    {
        if (order.Text("commerceOrder") != checkoutId.ToString())
        {
            logger.LogWarning("Flow order {Token} does not belong to checkout {CheckoutId}.", token, checkoutId);
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, token, "La respuesta de Flow no corresponde a este pago.");
        }
        var amount = GatewayJson.WholeAmount(order, "amount");
        var currency = order.Text("currency");
        var status = order.ValueKind == JsonValueKind.Object && order.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var n) ? n : 0;
        return status switch
        {
            2 => new GatewayStatus(GatewayOutcome.Approved, amount, currency, token),
            1 => new GatewayStatus(GatewayOutcome.Pending, amount, currency, token, "El pago sigue pendiente en Flow."),
            3 => new GatewayStatus(GatewayOutcome.Rejected, amount, currency, token, "Flow rechazó el pago. No se realizó ningún cargo."),
            4 => new GatewayStatus(GatewayOutcome.Cancelled, amount, currency, token, "El pago fue anulado en Flow. No se realizó ningún cargo."),
            _ => new GatewayStatus(GatewayOutcome.Unknown, amount, currency, token, "Flow informó un estado que requiere revisión."),
        };
    }

    /// <summary>Flow signs nothing it posts to us: every confirmation goes through <see cref="ReadUnverifiedHint"/>.</summary>
    public GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request) => null;

    /// <summary>The form-encoded token of a confirmation: all we take from it is which order to read at Flow.</summary>
    public GatewayWebhook? ReadUnverifiedHint(WebhookRequest request)
    {
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try
        {
            form = QueryHelpers.ParseQuery(request.RawBody);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return null;
        }
        var token = form.TryGetValue("token", out var t) ? t.ToString() : request.QueryValue("token");
        if (token.Length is 0 or > 100 || !token.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            return null;
        }
        if (request.QueryValue("tipo") == "reembolso")
        {
            return new GatewayWebhook("", "refund", "", request.RawBody);   // a refund's callback: acknowledged, nothing to read
        }
        return new GatewayWebhook("", "payment", token, request.RawBody);
    }

    public async Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct)
    {
        if (webhook.Type != "payment" || string.IsNullOrEmpty(webhook.ResourceId))
        {
            return WebhookResolution.Ignore;
        }
        JsonElement order;
        try
        {
            order = await Client(context).StatusAsync(webhook.ResourceId, ct);
        }
        catch (FlowApiException ex) when (ex.Status is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound)
        {
            return WebhookResolution.Ignore;   // a token Flow does not know (for these credentials): nothing of ours
        }
        return Guid.TryParse(order.Text("commerceOrder"), out var checkoutId)
            ? new WebhookResolution(checkoutId, Read(order, checkoutId, webhook.ResourceId))
            : WebhookResolution.Ignore;
    }

    public async Task<GatewayRefund> RefundAsync(GatewayContext context, GatewayCheckout checkout, long amount, string idempotencyKey, CancellationToken ct)
    {
        try
        {
            var client = Client(context);
            // Flow returns the money to an email address (the receiver accepts it): the payer Flow recorded for the order.
            var order = await client.StatusAsync(checkout.GatewayReference!, ct);
            var refund = await client.RefundAsync(new Dictionary<string, string>
            {
                // Our refund's id as the refund order: Flow refuses a second refund with the same one.
                ["refundCommerceOrder"] = idempotencyKey,
                ["receiverEmail"] = order.Text("payer") is { Length: > 0 } payer ? payer : context.Setting("Email"),
                ["amount"] = amount.ToString(CultureInfo.InvariantCulture),
                ["urlCallBack"] = context.WebhookUrl(Kind) + "?" + RefundCallbackMark,
                ["commerceTrxId"] = checkout.Id.ToString(),
            }, ct);
            return refund.Text("status") is "created" or "accepted" or "refunded"
                ? new GatewayRefund(RefundOutcome.Succeeded, refund.Text("token") ?? refund.Text("flowRefundOrder"), null)
                : new GatewayRefund(RefundOutcome.Refused, refund.Text("token"), "Flow no aprobó el reembolso.");
        }
        catch (FlowApiException ex)
        {
            return new GatewayRefund(RefundOutcome.Refused, null, ex.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                ? ex.SpanishMessage : "Flow no aceptó el reembolso.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(ex, "Refund of checkout {CheckoutId} got no clear answer from Flow.", checkout.Id);
            return new GatewayRefund(RefundOutcome.Unknown, null, "Flow no respondió; revisa el reembolso en tu cuenta de Flow antes de reintentar.");
        }
    }

    /// <summary>
    /// Asks for an order that does not exist: 401/403 means the apiKey or the signature was refused; any other clear
    /// answer (the order is not found) means Flow checked and accepted them.
    /// </summary>
    public async Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct)
    {
        try
        {
            await Client(context).StatusByCommerceIdAsync("abono-prueba-conexion", ct);
            return Accepted;
        }
        catch (FlowApiException ex) when (ex.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            return new ConnectionTestResult(false, ex.SpanishMessage);
        }
        catch (FlowApiException)
        {
            return Accepted;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new ConnectionTestResult(false, "No se pudo conectar con Flow.");
        }
    }

    private static readonly ConnectionTestResult Accepted = new(true, "Flow respondió y aceptó las credenciales.");

    private FlowClient Client(GatewayContext context)
    {
        var configured = options.Value.Flow.BaseUrl is { Length: > 0 } b ? b
            : context.Setting("Environment") == "sandbox" ? FlowClient.SandboxBase : FlowClient.DefaultBase;
        return new(httpClients.CreateClient(HttpClientName), new Uri(configured), context.Setting("ApiKey"), context.Secret("SecretKey"));
    }
}
