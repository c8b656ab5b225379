using Abono.Web.Features.Payments;

namespace Abono.Web.Gateways;

public enum GatewayKind
{
    Sandbox = 1,
    Webpay = 2,
    MercadoPago = 3,
    Stripe = 4,
    Transfer = 5,
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
    Task<GatewayStart> StartAsync(GatewayContext context, Checkout checkout, CancellationToken ct);

    /// <summary>The browser came back. What it carries is a hint only: the answer comes from a server-to-server check.</summary>
    Task<GatewayStatus> HandleReturnAsync(GatewayContext context, Checkout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct);

    Task<GatewayStatus> QueryStatusAsync(GatewayContext context, Checkout checkout, CancellationToken ct);

    /// <summary>Verifies a webhook on its raw body; null when the signature does not hold.</summary>
    Task<GatewayWebhook?> VerifyWebhookAsync(GatewayContext context, string rawBody, IReadOnlyDictionary<string, string> headers, CancellationToken ct);

    Task<GatewayRefund> RefundAsync(GatewayContext context, Checkout checkout, long amount, CancellationToken ct);

    /// <summary>A harmless call that proves the credentials work.</summary>
    Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct);
}

/// <summary>What a gateway needs for one call: the credentials of the method in use and our own public address.</summary>
public sealed record GatewayContext(Uri SelfBaseUrl, IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Secrets, string MerchantName)
{
    public Uri ReturnUrl(Guid checkoutId) => new(SelfBaseUrl, $"/pagos/retorno/{checkoutId}");
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

public sealed record GatewayWebhook(string EventId, Guid CheckoutId, string Type);

public sealed record GatewayRefund(bool Succeeded, string? Reference, string? Reason);

public sealed record ConnectionTestResult(bool Succeeded, string Message);

public sealed class GatewayCapabilityException(GatewayKind kind, GatewayCapabilities capability)
    : NotSupportedException($"{kind} does not support {capability}.");
