using Microsoft.Extensions.Options;
using System.Text.Json;

namespace Abono.Web.Gateways.Fintoc;

/// <summary>
/// Fintoc account-to-account payments through checkout sessions (integer CLP amount, metadata.checkout_id = our
/// checkout id). The browser's return is only a hint; the answer is always GET /v1/checkout_sessions/{id} and its
/// payment intent, checked for status, amount, currency and metadata. A company account may need one or several
/// apoderados to sign: the session finishes with its intent still pending for a while, which stays Pending here.
/// Webhooks are verified with Fintoc-Signature and then the session is read again.
/// </summary>
public sealed class FintocGateway(IHttpClientFactory httpClients, IOptions<GatewaysOptions> options, TimeProvider clock, ILogger<FintocGateway> logger) : IPaymentGateway
{
    public const string HttpClientName = "fintoc";

    public GatewayKind Kind => GatewayKind.Fintoc;

    public GatewayCapabilities Capabilities => GatewayCapabilities.StatusQuery | GatewayCapabilities.Webhooks | GatewayCapabilities.Refunds
        | GatewayCapabilities.PartialRefunds | GatewayCapabilities.ConnectionTest;

    public async Task<GatewayStart> StartAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        var returnUrl = checkout.ReturnUrl.ToString();
        var session = new
        {
            amount = checkout.Amount,
            currency = "CLP",
            success_url = returnUrl,
            cancel_url = returnUrl + "?cancelado=1",
            // Fintoc writes to this address about refunds, so it goes whenever we know it.
            customer_email = checkout.PayerEmail,
            metadata = new Dictionary<string, string> { ["checkout_id"] = checkout.Id.ToString() },
        };
        try
        {
            var created = await Client(context).CreateSessionAsync(session, "checkout-" + checkout.Id, ct);
            var id = created.Text("id");
            var url = created.Text("redirect_url");
            if (id is null || url is null)
            {
                throw new HttpRequestException("Fintoc's checkout session lacks id or redirect_url.");
            }
            return new GatewayStart(new Uri(url), PostForm: false, new Dictionary<string, string>(), id);
        }
        catch (FintocApiException ex)
        {
            throw new GatewayRefusedException(ex.SpanishMessage, ex.Message);
        }
        catch (UriFormatException ex)
        {
            throw new HttpRequestException("Fintoc's redirect_url is not a URL.", ex);
        }
    }

    public async Task<GatewayStatus> HandleReturnAsync(GatewayContext context, GatewayCheckout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct)
    {
        var status = await QueryStatusAsync(context, checkout, ct);
        // Back from the cancel URL while the session is still open; a finished one (an intent waiting for signatures) was not left.
        return status is { Outcome: GatewayOutcome.Pending, Amount: null } && returnData.ContainsKey("cancelado")
            ? status with { Outcome = GatewayOutcome.Cancelled, Reason = "Volviste de Fintoc sin pagar. No se realizó ningún cargo." }
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
            var status = Read(await Client(context).SessionAsync(checkout.GatewayReference, ct), checkout.Id);
            // The bank has the payment and waits for signatures: past our deadline that is no "not paid" that may
            // expire the checkout, but an answer still to come, asked about until it comes.
            return status is { Outcome: GatewayOutcome.Pending, Amount: not null } && clock.GetUtcNow().UtcDateTime > checkout.ExpiresAt
                ? status with { Outcome = GatewayOutcome.Unknown }
                : status;
        }
        catch (FintocApiException ex)
        {
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, ex.SpanishMessage);
        }
    }

    /// <summary>
    /// A Fintoc session stays payable until it is expired (no expires_at is documented for it): past our deadline we
    /// expire it, so the payer cannot pay a checkout we no longer ask about. Fintoc refuses while the payer is in it or
    /// once it finished; then what the session holds is the answer (an approval is booked, a payer still in it is
    /// asked about again).
    /// </summary>
    public async Task<GatewayStatus> ExpireAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        if (checkout.GatewayReference is null)
        {
            return new GatewayStatus(GatewayOutcome.Expired, null, null, null, "El pago no se completó a tiempo.");
        }
        try
        {
            var status = Read(await Client(context).ExpireSessionAsync(checkout.GatewayReference, ct), checkout.Id);
            return status.Outcome == GatewayOutcome.Expired ? status with { Reason = "El pago no se completó a tiempo." } : status;
        }
        catch (FintocApiException ex)
        {
            // Refused (the payer is in it, or it finished), or even a 404 just after the session was read (a path or
            // API version without the call): never "expired" on Fintoc's word alone. What the session holds decides.
            logger.LogInformation("Fintoc did not expire session {SessionId} of checkout {CheckoutId}: {Detail}", checkout.GatewayReference, checkout.Id, ex.Message);
            return await QueryStatusAsync(context, checkout, ct);
        }
    }

    private static JsonElement IntentOf(JsonElement session) => session.Child("payment_resource").Child("payment_intent");

    /// <summary>Only a finished session whose intent succeeded is paid; the reference is the session (one intent each).</summary>
    private GatewayStatus Read(JsonElement session, Guid checkoutId)
    {
        var id = session.Text("id");
        if (session.Child("metadata").Text("checkout_id") != checkoutId.ToString())
        {
            logger.LogWarning("Fintoc session {SessionId} does not belong to checkout {CheckoutId}.", id, checkoutId);
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, id, "La respuesta de Fintoc no corresponde a este pago.");
        }
        var intent = IntentOf(session);
        var amount = GatewayJson.WholeAmount(intent, "amount");
        var currency = intent.Text("currency");
        return (session.Text("status"), intent.Text("status")) switch
        {
            ("finished", "succeeded") => new GatewayStatus(GatewayOutcome.Approved, amount, currency, id),
            ("finished", "pending" or "created" or null) => new GatewayStatus(GatewayOutcome.Pending, amount, currency, id,
                "Fintoc está esperando la autorización del banco (en cuentas de empresa, la firma de los apoderados)."),
            ("finished", "failed" or "rejected") => new GatewayStatus(GatewayOutcome.Rejected, amount, currency, id, "El banco rechazó el pago en Fintoc. No se realizó ningún cargo."),
            ("finished", "expired") or ("expired", _) => new GatewayStatus(GatewayOutcome.Expired, null, null, id, "El pago en Fintoc expiró. No se realizó ningún cargo."),
            ("created" or "in_progress", _) => new GatewayStatus(GatewayOutcome.Pending, null, null, id, "El pago sigue abierto en Fintoc."),
            _ => new GatewayStatus(GatewayOutcome.Unknown, amount, currency, id, "Fintoc informó un estado que requiere revisión."),
        };
    }

    public GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request)
    {
        if (!FintocSignature.IsValid(request.Header("Fintoc-Signature"), request.RawBody, context.Secret("WebhookSecret"), clock.GetUtcNow()))
        {
            return null;
        }
        // Fintoc signed these bytes: from here on a body we cannot read is malformed (400), not forged (401).
        string? eventId, type, resource;
        try
        {
            using var body = JsonDocument.Parse(request.RawBody);
            var root = body.RootElement;
            eventId = root.Text("id");
            type = root.Text("type");
            var data = root.Child("data");
            // A session event points at the session; an intent event at the session it belongs to [UNVERIFIED field name].
            resource = type?.StartsWith("payment_intent.", StringComparison.Ordinal) == true ? data.Text("checkout_session") : data.Text("id");
        }
        catch (JsonException ex)
        {
            throw new GatewayWebhookMalformedException("The signed Fintoc event is not JSON.", ex);
        }
        if (string.IsNullOrEmpty(eventId) || string.IsNullOrEmpty(type))
        {
            throw new GatewayWebhookMalformedException("The signed Fintoc body is not an event (no id or type).");
        }
        return new GatewayWebhook(eventId, type, resource ?? "", request.RawBody);
    }

    public async Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct)
    {
        // checkout_session.finished|expired (one guide says .completed: both are read) and payment_intent.*.
        if (!(webhook.Type.StartsWith("checkout_session.", StringComparison.Ordinal) || webhook.Type.StartsWith("payment_intent.", StringComparison.Ordinal))
            || !webhook.ResourceId.StartsWith("cs_", StringComparison.Ordinal))
        {
            return WebhookResolution.Ignore;
        }
        JsonElement session;
        try
        {
            session = await Client(context).SessionAsync(webhook.ResourceId, ct);
        }
        catch (FintocApiException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            return WebhookResolution.Ignore;
        }
        return Guid.TryParse(session.Child("metadata").Text("checkout_id"), out var checkoutId)
            ? new WebhookResolution(checkoutId, Read(session, checkoutId))
            : WebhookResolution.Ignore;
    }

    public async Task<GatewayRefund> RefundAsync(GatewayContext context, GatewayCheckout checkout, long amount, string idempotencyKey, CancellationToken ct)
    {
        try
        {
            var client = Client(context);
            var intentId = IntentOf(await client.SessionAsync(checkout.GatewayReference!, ct)).Text("id");
            if (intentId is null)
            {
                return new GatewayRefund(RefundOutcome.Refused, null, "Fintoc no tiene un pago que reembolsar en esta sesión.");
            }
            var refund = await client.RefundAsync(intentId, amount, idempotencyKey, ct);
            // Fintoc disburses refunds asynchronously: pending and in_progress are accepted refunds.
            return refund.Text("status") is "pending" or "in_progress" or "succeeded" or "created"
                ? new GatewayRefund(RefundOutcome.Succeeded, refund.Text("id"), null)
                : new GatewayRefund(RefundOutcome.Refused, refund.Text("id"), "Fintoc no aprobó el reembolso.");
        }
        catch (FintocApiException ex)
        {
            return new GatewayRefund(RefundOutcome.Refused, null, ex.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                ? ex.SpanishMessage : "Fintoc no aceptó el reembolso (revisa tu saldo disponible en Fintoc).");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(ex, "Refund of checkout {CheckoutId} got no clear answer from Fintoc.", checkout.Id);
            return new GatewayRefund(RefundOutcome.Unknown, null, "Fintoc no respondió; revisa el reembolso en tu panel de Fintoc antes de reintentar.");
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct)
    {
        try
        {
            await Client(context).PaymentIntentsAsync(ct);
            return new ConnectionTestResult(true, "Fintoc respondió y aceptó la secret key.");
        }
        catch (FintocApiException ex)
        {
            return new ConnectionTestResult(false, ex.SpanishMessage);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new ConnectionTestResult(false, "No se pudo conectar con Fintoc.");
        }
    }

    private FintocClient Client(GatewayContext context) =>
        new(httpClients.CreateClient(HttpClientName), new Uri(options.Value.Fintoc.BaseUrl is { Length: > 0 } b ? b : FintocClient.DefaultBase),
            context.Secret("SecretKey"));
}
