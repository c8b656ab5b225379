
namespace Abono.Web.Gateways;

public enum GatewayKind
{
    Sandbox = 1,
    Webpay = 2,
    MercadoPago = 3,
    Stripe = 4,
    Transfer = 5,
    Khipu = 6,
    Flow = 7,
    Fintoc = 8,
}

[Flags]
public enum GatewayCapabilities
{
    None = 0,
    StatusQuery = 1,
    Webhooks = 2,
    Refunds = 4,
    PartialRefunds = 8,
    ConnectionTest = 16,

    /// <summary>
    /// A rejected or abandoned attempt can never turn into an approval at this provider (Webpay's token, the
    /// sandbox's single decision). Without it a failed checkout may still be paid (Mercado Pago lets the payer try
    /// another card in the same preference; a Stripe session stays open), so its documents stay locked until it expires.
    /// </summary>
    TerminalFailures = 32,

    /// <summary>Unsigned notifications are read as hints of what to ask the provider (Mercado Pago); see ReadUnverifiedHint.</summary>
    WebhookHints = 64,
}

/// <summary>
/// One small interface every gateway implements. Unsupported operations throw
/// <see cref="GatewayCapabilityException"/>; callers check <see cref="Capabilities"/> first.
/// </summary>
public interface IPaymentGateway
{
    GatewayKind Kind { get; }
    GatewayCapabilities Capabilities { get; }

    /// <summary>Registers the payment at the gateway and says where to send the browser.</summary>
    Task<GatewayStart> StartAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct);

    /// <summary>The browser came back. What it carries is a hint only: the answer comes from a server-to-server check.</summary>
    Task<GatewayStatus> HandleReturnAsync(GatewayContext context, GatewayCheckout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct);

    Task<GatewayStatus> QueryStatusAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct);

    /// <summary>
    /// Our time for this payment ran out while the provider still shows it open: close it there too where its API
    /// allows, so nobody pays a checkout we stopped asking about, and answer what the provider holds now (an approval
    /// that got there first is an approval). Sessions that lapse on their own at our deadline need nothing: Stripe's
    /// expires_at, Mercado Pago's expiration_date_to, Khipu's expires_date, Flow's timeout, Webpay's token.
    /// </summary>
    Task<GatewayStatus> ExpireAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct) =>
        Task.FromResult(new GatewayStatus(GatewayOutcome.Expired, null, null, checkout.GatewayReference, "El pago no se completó a tiempo."));

    /// <summary>
    /// Checks a webhook's signature on its raw body, in constant time, and reads its event id; null when the signature
    /// (or its timestamp) does not hold. Throws <see cref="GatewayWebhookMalformedException"/> when the signature holds
    /// but the body is not a readable event. Pure: nothing is stored or fetched here.
    /// </summary>
    GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request);

    /// <summary>
    /// Turns a stored, verified webhook into the checkout it concerns and that checkout's current verified status
    /// (asked of the provider, so duplicates and out-of-order events all converge on the same answer).
    /// </summary>
    /// <summary>
    /// For gateways with <see cref="GatewayCapabilities.WebhookHints"/>: the resource an unsigned (or unverifiable)
    /// notification points at, to be read at the provider — its body is never believed. Null when it is not a
    /// notification of this provider at all (400); an empty ResourceId for a topic we do not act on (200).
    /// </summary>
    GatewayWebhook? ReadUnverifiedHint(WebhookRequest request) => null;

    Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct);

    /// <summary>Returns money of a succeeded checkout. <paramref name="idempotencyKey"/> is our refund's id, sent where the provider supports it.</summary>
    Task<GatewayRefund> RefundAsync(GatewayContext context, GatewayCheckout checkout, long amount, string idempotencyKey, CancellationToken ct);

    /// <summary>A harmless call that proves the credentials work.</summary>
    Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct);
}

/// <summary>What a gateway needs for one call: the credentials of the method in use and our own public address.</summary>
public sealed record GatewayContext(Uri SelfBaseUrl, IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Secrets, string MerchantName,
    string WebhookKey = WebhookKeys.Platform)
{

    /// <summary>Where the provider posts its webhooks for this method (the key picks whose secret verifies them).</summary>
    public Uri WebhookUrl(GatewayKind kind) => new(SelfBaseUrl, $"/webhooks/{kind.ToString().ToLowerInvariant()}/{WebhookKey}");

    public string Setting(string key) => Settings.TryGetValue(key, out var value) ? value : "";

    public string Secret(string key) => Secrets.TryGetValue(key, out var value) ? value : "";
}

/// <summary>Which credentials verify a webhook: the platform's own, or one company's payment method ("m" + id).</summary>
public static class WebhookKeys
{
    public const string Platform = "platform";

    public static string ForMethod(long paymentMethodId) => "m" + paymentMethodId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static long? MethodId(string key) =>
        key.Length > 1 && key[0] == 'm' && long.TryParse(key.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}

/// <summary>A webhook as it arrived: the raw body (signatures are computed over these exact bytes), headers and query string.</summary>
public sealed record WebhookRequest(string RawBody, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Query)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    public string QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : "";
}

/// <summary>Where to send the browser: a plain GET, or a form the browser posts (Webpay's token_ws).</summary>
public sealed record GatewayStart(Uri Url, bool PostForm, IReadOnlyDictionary<string, string> Fields, string? GatewayReference);

public enum GatewayOutcome
{
    Pending,
    Approved,
    Rejected,
    Cancelled,
    Expired,
    Unknown,
}

/// <summary>A verified answer from the gateway about one checkout.</summary>
public sealed record GatewayStatus(GatewayOutcome Outcome, long? Amount, string? Currency, string? Reference, string? Reason = null);

/// <summary>A verified webhook: the provider's event id (our dedup key), its type, and the resource it points to.</summary>
public sealed record GatewayWebhook(string EventId, string Type, string ResourceId, string RawBody);

/// <summary>
/// What a webhook means for us: the checkout it concerns (null when the event is not about a checkout of ours, e.g.
/// an unrelated event type) and its verified status.
/// </summary>
public sealed record WebhookResolution(Guid? CheckoutId, GatewayStatus? Status, bool Ignored = false)
{
    public static WebhookResolution Ignore { get; } = new(null, null, Ignored: true);
}

public enum RefundOutcome
{
    Succeeded,

    /// <summary>The provider refused it (its rules, its answer): nothing moved.</summary>
    Refused,

    /// <summary>No clear answer (timeout, 5xx): the money may have moved; kept for review, never retried blindly.</summary>
    Unknown,
}

public sealed record GatewayRefund(RefundOutcome Outcome, string? Reference, string? Reason)
{
    public bool Succeeded => Outcome == RefundOutcome.Succeeded;
}

public sealed record ConnectionTestResult(bool Succeeded, string Message);

public sealed class GatewayCapabilityException(GatewayKind kind, GatewayCapabilities capability)
    : NotSupportedException($"{kind} does not support {capability}.");

/// <summary>
/// A provider answered clearly that it would not do what we asked (4xx with a reason): nothing happened there, so
/// the checkout can fail with <see cref="UserMessage"/>. Ambiguous failures stay HttpRequestException/timeouts.
/// </summary>
public sealed class GatewayRefusedException(string userMessage, string detail) : Exception(detail)
{
    public string UserMessage { get; } = userMessage;
}

/// <summary>
/// A webhook whose signature holds but whose body is not a readable event (not JSON, or not the provider's event
/// shape): genuine, yet unusable. The receiver answers 400 and stores nothing; a forgery is a 401 instead.
/// </summary>
public sealed class GatewayWebhookMalformedException(string detail, Exception? inner = null) : Exception(detail, inner);
