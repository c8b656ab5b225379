using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Abono.Web.Gateways.Stripe;

/// <summary>
/// Stripe Checkout through Stripe.net, pointed at a configurable API base. Sessions in clp (zero-decimal: whole
/// pesos), client_reference_id = our checkout id. Webhooks are verified with Stripe-Signature (300 s tolerance) and
/// then the session is read again from Stripe, so duplicated or out-of-order events converge on its current state.
/// </summary>
public sealed class StripeGateway(IHttpClientFactory httpClients, IOptions<GatewaysOptions> options, TimeProvider clock, ILogger<StripeGateway> logger) : IPaymentGateway
{
    public const string HttpClientName = "stripe";

    /// <summary>Stripe requires expires_at between 30 minutes and 24 hours after creation.</summary>
    public static readonly TimeSpan MinimumSessionLifetime = TimeSpan.FromMinutes(31);

    public GatewayKind Kind => GatewayKind.Stripe;

    public GatewayCapabilities Capabilities => GatewayCapabilities.StatusQuery | GatewayCapabilities.Webhooks | GatewayCapabilities.Refunds
        | GatewayCapabilities.PartialRefunds | GatewayCapabilities.ConnectionTest;

    public async Task<GatewayStart> StartAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        var returnUrl = checkout.ReturnUrl.ToString();
        var now = clock.GetUtcNow().UtcDateTime;
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = returnUrl + "?session_id={CHECKOUT_SESSION_ID}",
            CancelUrl = returnUrl + "?cancelado=1",
            ClientReferenceId = checkout.Id.ToString(),
            ExpiresAt = checkout.ExpiresAt > now + MinimumSessionLifetime ? checkout.ExpiresAt : now + MinimumSessionLifetime,
            Metadata = new Dictionary<string, string> { ["checkout_id"] = checkout.Id.ToString() },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = "clp",
                        UnitAmount = checkout.Amount,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = checkout.Description },
                    },
                },
            ],
        };
        try
        {
            var session = await Client(context).V1.Checkout.Sessions.CreateAsync(options, new RequestOptions { IdempotencyKey = "checkout-" + checkout.Id }, ct);
            return new GatewayStart(new Uri(session.Url), PostForm: false, new Dictionary<string, string>(), session.Id);
        }
        catch (StripeException ex) when (IsDefinite(ex))
        {
            throw new GatewayRefusedException(SpanishMessage(ex), ex.Message);
        }
        catch (StripeException ex)
        {
            throw new HttpRequestException("Stripe did not answer clearly.", ex);
        }
    }

    public async Task<GatewayStatus> HandleReturnAsync(GatewayContext context, GatewayCheckout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct)
    {
        var status = await QueryStatusAsync(context, checkout, ct);
        return status.Outcome == GatewayOutcome.Pending && returnData.ContainsKey("cancelado")
            ? status with { Outcome = GatewayOutcome.Cancelled, Reason = "Volviste de Stripe sin pagar. No se realizó ningún cargo." }
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
            return Read(await Client(context).V1.Checkout.Sessions.GetAsync(checkout.GatewayReference, cancellationToken: ct), checkout.Id);
        }
        catch (StripeException ex) when (IsDefinite(ex))
        {
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, SpanishMessage(ex));
        }
        catch (StripeException ex)
        {
            throw new HttpRequestException("Stripe did not answer clearly.", ex);
        }
    }

    private GatewayStatus Read(Session session, Guid checkoutId)
    {
        if (session.ClientReferenceId != checkoutId.ToString())
        {
            logger.LogWarning("Stripe session {SessionId} does not belong to checkout {CheckoutId}.", session.Id, checkoutId);
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, session.Id, "La respuesta de Stripe no corresponde a este pago.");
        }
        var currency = session.Currency?.ToUpperInvariant();
        return (session.Status, session.PaymentStatus) switch
        {
            ("complete", "paid") => new GatewayStatus(GatewayOutcome.Approved, session.AmountTotal, currency, session.Id),
            ("complete", _) => new GatewayStatus(GatewayOutcome.Pending, session.AmountTotal, currency, session.Id, "Stripe está procesando el pago."),
            ("expired", _) => new GatewayStatus(GatewayOutcome.Expired, null, null, session.Id, "El pago en Stripe expiró. No se realizó ningún cargo."),
            ("open", _) => new GatewayStatus(GatewayOutcome.Pending, null, null, session.Id, "El pago sigue abierto en Stripe."),
            _ => new GatewayStatus(GatewayOutcome.Unknown, null, null, session.Id, "Stripe informó un estado que requiere revisión."),
        };
    }

    public GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request)
    {
        try
        {
            EventUtility.ValidateSignature(request.RawBody, request.Header("Stripe-Signature"), context.Secret("WebhookSecret"),
                EventUtility.DefaultTimeTolerance, clock.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (Exception ex) when (ex is StripeException or ArgumentException or FormatException or OverflowException)
        {
            return null;   // unsigned, forged, stale, or a header we cannot read
        }
        // Stripe signed these bytes: from here on a body we cannot read is malformed (400), not forged (401).
        Event stripeEvent;
        try
        {
            // Events carry the account's API version, which may not be Stripe.net's release train. Their shape does
            // not matter to us (the session is read again from the API), so a mismatch is no reason to refuse them.
            stripeEvent = EventUtility.ParseEvent(request.RawBody, throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or Newtonsoft.Json.JsonException or ArgumentException or FormatException
            or InvalidOperationException or StripeException)
        {
            throw new GatewayWebhookMalformedException("The signed Stripe event could not be parsed.", ex);
        }
        if (stripeEvent is null || string.IsNullOrEmpty(stripeEvent.Id) || string.IsNullOrEmpty(stripeEvent.Type))
        {
            throw new GatewayWebhookMalformedException("The signed Stripe body is not an event (no id or type).");
        }
        var resource = stripeEvent.Data?.Object is IHasId withId ? withId.Id : "";
        return new GatewayWebhook(stripeEvent.Id, stripeEvent.Type, resource ?? "", request.RawBody);
    }

    public async Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct)
    {
        if (!webhook.Type.StartsWith("checkout.session.", StringComparison.Ordinal) || string.IsNullOrEmpty(webhook.ResourceId))
        {
            return WebhookResolution.Ignore;
        }
        Session session;
        try
        {
            session = await Client(context).V1.Checkout.Sessions.GetAsync(webhook.ResourceId, cancellationToken: ct);
        }
        catch (StripeException ex) when (ex.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return WebhookResolution.Ignore;
        }
        catch (StripeException ex) when (!IsDefinite(ex))
        {
            throw new HttpRequestException("Stripe did not answer clearly.", ex);
        }
        return Guid.TryParse(session.ClientReferenceId, out var checkoutId) ? new WebhookResolution(checkoutId, Read(session, checkoutId)) : WebhookResolution.Ignore;
    }

    public async Task<GatewayRefund> RefundAsync(GatewayContext context, GatewayCheckout checkout, long amount, string idempotencyKey, CancellationToken ct)
    {
        try
        {
            var client = Client(context);
            var session = await client.V1.Checkout.Sessions.GetAsync(checkout.GatewayReference!, cancellationToken: ct);
            var refund = await client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = session.PaymentIntentId, Amount = amount },
                new RequestOptions { IdempotencyKey = idempotencyKey }, ct);
            return refund.Status is "succeeded" or "pending"
                ? new GatewayRefund(RefundOutcome.Succeeded, refund.Id, null)
                : new GatewayRefund(RefundOutcome.Refused, refund.Id, "Stripe no aprobó el reembolso.");
        }
        catch (StripeException ex) when (IsDefinite(ex))
        {
            return new GatewayRefund(RefundOutcome.Refused, null, SpanishMessage(ex));
        }
        catch (Exception ex) when (ex is StripeException or HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(ex, "Refund of checkout {CheckoutId} got no clear answer from Stripe.", checkout.Id);
            return new GatewayRefund(RefundOutcome.Unknown, null, "Stripe no respondió; revisa el reembolso en tu panel de Stripe antes de reintentar.");
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct)
    {
        try
        {
            await Client(context).V1.Balance.GetAsync(cancellationToken: ct);
            return new ConnectionTestResult(true, "Stripe respondió y aceptó la secret key.");
        }
        catch (StripeException ex) when (IsDefinite(ex))
        {
            return new ConnectionTestResult(false, SpanishMessage(ex));
        }
        catch (Exception ex) when (ex is StripeException or HttpRequestException or TaskCanceledException)
        {
            return new ConnectionTestResult(false, "No se pudo conectar con Stripe.");
        }
    }

    /// <summary>A 4xx other than 409/429 is Stripe's clear "no"; anything else may or may not have happened.</summary>
    private static bool IsDefinite(StripeException ex) =>
        (int)ex.HttpStatusCode is >= 400 and < 500 && ex.HttpStatusCode is not (System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.TooManyRequests);

    private static string SpanishMessage(StripeException ex) => ex.HttpStatusCode switch
    {
        System.Net.HttpStatusCode.Unauthorized => "Stripe rechazó la secret key: revisa tus credenciales.",
        System.Net.HttpStatusCode.NotFound => "Stripe no encontró el pago.",
        _ when ex.StripeError?.Type == "card_error" => "Stripe rechazó la tarjeta.",
        _ => "Stripe rechazó la operación.",
    };

    private StripeClient Client(GatewayContext context) => new(new StripeClientOptions
    {
        ApiKey = context.Secret("SecretKey"),
        ApiBase = options.Value.Stripe.BaseUrl is { Length: > 0 } b ? b : StripeClient.DefaultApiBase,
        HttpClient = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), maxNetworkRetries: 2, appInfo: null, enableTelemetry: false),
    });
}
