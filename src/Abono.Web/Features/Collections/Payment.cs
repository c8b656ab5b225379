using Abono.Web.Gateways;
using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Features.Collections;

/// <summary>Money received from a customer (from the portal today), allocated to documents. One per confirmed checkout.</summary>
public sealed class Payment : ITenantOwned
{
    /// <summary>Also the receipt number (N° de comprobante).</summary>
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long CustomerId { get; set; }
    public Guid CheckoutId { get; set; }
    public DateTime PaidAt { get; set; }
    public GatewayKind Method { get; set; }
    public string? GatewayReference { get; set; }
    public long Amount { get; set; }

    /// <summary>The part that found no balance to pay (a race, a late confirmation): saldo a favor, to refund.</summary>
    public long CreditAmount { get; set; }
    public bool RefundPending { get; set; }

    /// <summary>Returned (or reserved for a refund in flight) through the gateway; never above <see cref="Amount"/>.</summary>
    public long RefundedAmount { get; set; }
    public PaymentStatus Status { get; set; } = PaymentStatus.Confirmed;

    /// <summary>Paid through the Pasarela de prueba: shown as modo de prueba everywhere; in Production it pays no document.</summary>
    public bool IsTest { get; set; }
    public List<PaymentAllocation> Allocations { get; set; } = [];
}

public enum PaymentStatus
{
    Confirmed = 1,

    // 2 was "PendingConfirmation", never written: a declared transfer is a checkout, and becomes a payment only once confirmed.

    /// <summary>Fully refunded.</summary>
    Refunded = 3,
}

/// <summary>One refund of a payment through its gateway (Reembolsar in the payment's detail).</summary>
public sealed class PaymentRefund : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long PaymentId { get; set; }
    public long Amount { get; set; }
    public RefundState State { get; set; } = RefundState.Requested;
    public string? GatewayReference { get; set; }
    public string? Reason { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public enum RefundState
{
    /// <summary>Amount reserved on the payment; the gateway is being asked.</summary>
    Requested = 1,
    Succeeded = 2,

    /// <summary>The gateway said no; the reservation was released.</summary>
    Refused = 3,

    /// <summary>No clear answer: the reservation stays until someone checks at the provider.</summary>
    Unknown = 4,
}

public sealed class PaymentAllocation : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long PaymentId { get; set; }
    public long DocumentId { get; set; }
    public long Amount { get; set; }
}

/// <summary>The documents (and amounts) a portal checkout is paying, fixed when the customer pressed Pagar.</summary>
public sealed class CheckoutDocument : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public Guid CheckoutId { get; set; }
    public long DocumentId { get; set; }
    public long Amount { get; set; }
}

/// <summary>
/// "Pago en proceso": one live lock per document while a checkout for it is open. The primary key on DocumentId
/// makes two tabs paying the same document at once collide in the database, not in a check.
/// </summary>
public sealed class DocumentPaymentLock : ITenantOwned
{
    public long DocumentId { get; set; }
    public Guid CompanyId { get; set; }
    public Guid CheckoutId { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>A customer link (Enlace de pago específico para un cliente). Looked up by hash; the token is kept encrypted to show it again.</summary>
public sealed class CustomerPortalLink : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long CustomerId { get; set; }
    public required string TokenHash { get; set; }
    public required string TokenProtected { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>
/// A failed portal identification or back-office sign-in, per (source, RUT or email) or per source (hashed keys, see
/// LoginThrottle), kept in the database so the throttle holds across instances. The name predates sign-in's use of it.
/// </summary>
public sealed class PortalLoginFailure
{
    public long Id { get; set; }
    public required string KeyHash { get; set; }
    public DateTime At { get; set; }
}

/// <summary>A one-time portal code: 6 digits, 10 minutes, single use, 5 tries. Only its hash is stored.</summary>
public sealed class PortalVerificationCode : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid CompanyId { get; set; }
    public long CustomerId { get; set; }
    public required string CodeHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? UsedAt { get; set; }

    /// <summary>Who asked for it (hashed client address): sends are limited per source as well as per customer.</summary>
    public string? SourceHash { get; set; }
}
