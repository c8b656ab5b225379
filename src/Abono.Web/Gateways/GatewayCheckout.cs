namespace Abono.Web.Gateways;

/// <summary>
/// What a gateway adapter knows of one checkout: a value handed over by the payment engine, so adapters depend on no
/// feature. <see cref="Id"/> is the order reference every provider sees and the idempotency key of the start call.
/// </summary>
/// <param name="GatewayReference">The provider's own id for this payment (token, session, preference), once started.</param>
/// <param name="ReturnUrl">Where the provider sends the browser back; a hint only, never the answer.</param>
/// <param name="PayerIdentifier">The paying customer's RUT when known (Khipu can fix the payer to it).</param>
/// <param name="PayerEmail">The paying customer's email when known (Flow requires one; Fintoc writes to it about refunds).</param>
public sealed record GatewayCheckout(
    Guid Id,
    long Amount,
    string Currency,
    string Description,
    string? GatewayReference,
    DateTime CreatedAt,
    DateTime ExpiresAt,
    DateTime? CompletedAt,
    Uri ReturnUrl,
    string? PayerIdentifier = null,
    string? PayerEmail = null);
