using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Abono.Web.Gateways.Webpay;

/// <summary>
/// Webpay Plus (Transbank REST v1.2). Create → the browser posts token_ws to Webpay → Webpay sends it back to our
/// return URL in one of four documented shapes → we commit only in the normal case (token_ws alone) and read every
/// other case from the status API. Approved only when response_code is 0 and status is AUTHORIZED. No webhooks:
/// the checkout janitor asks the status API about anything left open.
/// </summary>
public sealed class WebpayGateway(IHttpClientFactory httpClients, IOptions<GatewaysOptions> options, TimeProvider clock, ILogger<WebpayGateway> logger) : IPaymentGateway
{
    public const string HttpClientName = "webpay";

    /// <summary>D1: nullification through the API is possible up to 90 days after the sale.</summary>
    public static readonly TimeSpan RefundWindow = TimeSpan.FromDays(90);

    public GatewayKind Kind => GatewayKind.Webpay;

    public GatewayCapabilities Capabilities =>
        GatewayCapabilities.StatusQuery | GatewayCapabilities.Refunds | GatewayCapabilities.PartialRefunds | GatewayCapabilities.ConnectionTest
        // A rejected or aborted token can never be committed: Webpay needs a new transaction for another try.
        | GatewayCapabilities.TerminalFailures;

    /// <summary>≤ 26 characters, unique per transaction, derived from our checkout id (which is unique).</summary>
    public static string BuyOrder(Guid checkoutId) => "AB" + checkoutId.ToString("N")[..24];

    public async Task<GatewayStart> StartAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        var returnUrl = checkout.ReturnUrl.ToString();
        if (returnUrl.Length > 255)
        {
            throw new InvalidOperationException("The return URL is longer than Webpay accepts (255).");
        }
        try
        {
            var created = await Client(context).CreateAsync(BuyOrder(checkout.Id), checkout.Id.ToString("N"), checkout.Amount, returnUrl, ct);
            var token = created.GetProperty("token").GetString()!;
            var url = created.GetProperty("url").GetString()!;
            return new GatewayStart(new Uri(url), PostForm: true, new Dictionary<string, string> { ["token_ws"] = token }, token);
        }
        catch (WebpayApiException ex)
        {
            throw new GatewayRefusedException(ex.SpanishMessage, ex.Message);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or UriFormatException)
        {
            throw new HttpRequestException("Webpay's create answer lacks token or url.", ex);
        }
    }

    public async Task<GatewayStatus> HandleReturnAsync(GatewayContext context, GatewayCheckout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct)
    {
        returnData.TryGetValue("token_ws", out var tokenWs);
        var aborted = returnData.ContainsKey("TBK_TOKEN");
        var timedOut = !aborted && string.IsNullOrEmpty(tokenWs) && returnData.ContainsKey("TBK_ORDEN_COMPRA");

        if (!string.IsNullOrEmpty(tokenWs) && !aborted)
        {
            // Case 1 (normal): commit, but only our own token — a payer cannot make us commit someone else's.
            if (tokenWs != checkout.GatewayReference)
            {
                logger.LogWarning("Checkout {CheckoutId}: return carried a token that is not this checkout's.", checkout.Id);
                return await QueryStatusAsync(context, checkout, ct);
            }
            try
            {
                return Read(checkout, await Client(context).CommitAsync(tokenWs, ct));
            }
            catch (WebpayApiException ex)
            {
                // 422: already committed by a concurrent return, or no longer committable. The status API knows which.
                logger.LogInformation("Webpay refused the commit of checkout {CheckoutId}: {Error}", checkout.Id, ex.ErrorMessage);
                var status = await QueryStatusAsync(context, checkout, ct);
                return status.Outcome == GatewayOutcome.Pending ? status with { Outcome = GatewayOutcome.Cancelled, Reason = ex.SpanishMessage } : status;
            }
        }

        // Cases 2-4: never commit. Ask the status API first: anything it reports beyond INITIALIZED wins.
        var current = await QueryStatusAsync(context, checkout, ct);
        if (current.Outcome is not GatewayOutcome.Pending)
        {
            return current;
        }
        // Transbank reports an aborted or timed-out transaction as INITIALIZED (200), exactly like one still at the
        // form, and refuses only its commit. So here the browser's parameters decide, and only when they name this
        // checkout's transaction; anything else stays Pending for the janitor (which expires it after its expiry).
        if (aborted && returnData["TBK_TOKEN"] == checkout.GatewayReference)
        {
            return current with { Outcome = GatewayOutcome.Cancelled, Reason = "Anulaste el pago en Webpay. No se realizó ningún cargo." };
        }
        if (timedOut && returnData["TBK_ORDEN_COMPRA"] == BuyOrder(checkout.Id))
        {
            return current with { Outcome = GatewayOutcome.Expired, Reason = "Se agotó el tiempo para pagar en Webpay. No se realizó ningún cargo." };
        }
        if (aborted || timedOut)
        {
            logger.LogWarning("Checkout {CheckoutId}: an abort or timeout return named another transaction; left pending.", checkout.Id);
        }
        return current;
    }

    public async Task<GatewayStatus> QueryStatusAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        if (checkout.GatewayReference is null)
        {
            return new GatewayStatus(GatewayOutcome.Pending, null, null, null, "El pago aún no se inicia.");
        }
        try
        {
            return Read(checkout, await Client(context).StatusAsync(checkout.GatewayReference, ct));
        }
        catch (WebpayApiException ex) when (ex.Status is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.UnprocessableEntity)
        {
            // Webpay knows nothing payable under this token (unknown, or past its status window). An aborted or
            // timed-out transaction is not this case: its status is a 200 INITIALIZED, read as Pending below.
            return new GatewayStatus(GatewayOutcome.Pending, null, null, checkout.GatewayReference, ex.SpanishMessage);
        }
        catch (WebpayApiException ex)
        {
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, ex.SpanishMessage);
        }
    }

    /// <summary>Reads a commit or status answer. Approval needs response_code 0, status AUTHORIZED and our buy_order.</summary>
    private GatewayStatus Read(GatewayCheckout checkout, JsonElement answer)
    {
        var status = Text(answer, "status");
        var buyOrder = Text(answer, "buy_order");
        var responseCode = answer.TryGetProperty("response_code", out var rc) && rc.ValueKind == JsonValueKind.Number ? rc.GetInt32() : (int?)null;
        var amount = GatewayJson.WholeAmount(answer, "amount");
        if (buyOrder is not null && buyOrder != BuyOrder(checkout.Id))
        {
            logger.LogWarning("Checkout {CheckoutId}: Webpay answered for another buy order.", checkout.Id);
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, "La respuesta de Webpay no corresponde a este pago.");
        }
        return status switch
        {
            "AUTHORIZED" or "CAPTURED" when responseCode == 0 => new GatewayStatus(GatewayOutcome.Approved, amount, "CLP", checkout.GatewayReference),
            "AUTHORIZED" or "FAILED" => new GatewayStatus(GatewayOutcome.Rejected, amount, "CLP", checkout.GatewayReference, RejectionMessage(responseCode)),
            "INITIALIZED" => new GatewayStatus(GatewayOutcome.Pending, null, null, checkout.GatewayReference, "El pago está en curso en Webpay."),
            "REVERSED" => new GatewayStatus(GatewayOutcome.Cancelled, null, null, checkout.GatewayReference, "Webpay reversó la transacción; no se realizó ningún cargo."),
            _ => new GatewayStatus(GatewayOutcome.Unknown, amount, "CLP", checkout.GatewayReference, "Webpay informó un estado que requiere revisión."),
        };
    }

    private static string RejectionMessage(int? responseCode) => responseCode switch
    {
        -1 => "Webpay rechazó el pago: revisa los datos de la tarjeta.",
        -2 or -3 => "Webpay rechazó el pago: la transacción no pudo autorizarse.",
        -4 => "El banco rechazó el pago.",
        -5 => "Webpay rechazó el pago por riesgo de fraude.",
        _ => "Webpay rechazó el pago. No se realizó ningún cargo.",
    };

    public async Task<GatewayRefund> RefundAsync(GatewayContext context, GatewayCheckout checkout, long amount, string idempotencyKey, CancellationToken ct)
    {
        var client = Client(context);
        try
        {
            var sale = await client.StatusAsync(checkout.GatewayReference!, ct);
            var type = Text(sale, "payment_type_code");
            var total = GatewayJson.WholeAmount(sale, "amount") ?? checkout.Amount;
            var saleDate = sale.TryGetProperty("transaction_date", out var date) && date.ValueKind == JsonValueKind.String
                && DateTime.TryParse(date.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed : checkout.CompletedAt ?? checkout.CreatedAt;
            if (clock.GetUtcNow().UtcDateTime - saleDate > RefundWindow)
            {
                return new GatewayRefund(RefundOutcome.Refused, null, "Webpay permite anular ventas solo hasta 90 días después del pago.");
            }
            // Debit (VD) and prepaid (VP) cards can only be nullified in full; credit cards also in part.
            if (type is "VD" or "VP" && amount != total)
            {
                return new GatewayRefund(RefundOutcome.Refused, null, "Este pago se hizo con tarjeta de débito o prepago: Webpay solo permite reembolsar el total.");
            }
            var answer = await client.RefundAsync(checkout.GatewayReference!, amount, ct);
            var kind = Text(answer, "type");
            if (kind == "REVERSED" || (kind == "NULLIFIED" && answer.TryGetProperty("response_code", out var code) && code.GetInt32() == 0))
            {
                return new GatewayRefund(RefundOutcome.Succeeded, Text(answer, "authorization_code") ?? kind, kind == "REVERSED" ? "Reversa" : "Anulación");
            }
            return new GatewayRefund(RefundOutcome.Refused, null, "Webpay no aprobó la anulación.");
        }
        catch (WebpayApiException ex)
        {
            return new GatewayRefund(RefundOutcome.Refused, null, ex.SpanishMessage);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(ex, "Refund of checkout {CheckoutId} got no clear answer from Webpay.", checkout.Id);
            return new GatewayRefund(RefundOutcome.Unknown, null, "Webpay no respondió; revisa el estado del reembolso en el portal de Transbank antes de reintentar.");
        }
    }

    public GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Webhooks);

    public Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Webhooks);

    public async Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct)
    {
        // Webpay has no ping: ask the status of a token that cannot exist. 401 means bad credentials; 404/422 means they work.
        try
        {
            await Client(context).StatusAsync(new string('0', 64), ct);
            return new ConnectionTestResult(true, "Webpay respondió y aceptó las credenciales.");
        }
        catch (WebpayApiException ex) when (ex.Status == System.Net.HttpStatusCode.Unauthorized)
        {
            return new ConnectionTestResult(false, ex.SpanishMessage);
        }
        catch (WebpayApiException)
        {
            return new ConnectionTestResult(true, "Webpay respondió y aceptó las credenciales.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new ConnectionTestResult(false, "No se pudo conectar con Webpay.");
        }
    }

    private WebpayClient Client(GatewayContext context)
    {
        var configured = options.Value.Webpay.BaseUrl;
        var host = !string.IsNullOrWhiteSpace(configured) ? configured
            : context.Setting("Environment") == "produccion" ? WebpayClient.ProductionHost : WebpayClient.IntegrationHost;
        return new WebpayClient(httpClients.CreateClient(HttpClientName), new Uri(host), context.Setting("CommerceCode"), context.Secret("ApiKeySecret"));
    }

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
