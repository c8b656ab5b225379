using Abono.Web.Features.Companies;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.Property(x => x.GatewayReference).HasMaxLength(100);
        // Not unique: a second approval of one checkout is a payment of its own (CheckoutApprovals keeps each once).
        b.HasIndex(x => x.CheckoutId);
        b.HasIndex(x => new { x.CompanyId, x.PaidAt, x.Id });
        b.HasIndex(x => new { x.CompanyId, x.CustomerId });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Checkout>().WithMany().HasForeignKey(x => x.CheckoutId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Allocations).WithOne().HasForeignKey(x => x.PaymentId).OnDelete(DeleteBehavior.Cascade);
    }
}

public enum PaymentStatus
{
    Confirmed = 1,

    // 2 was "PendingConfirmation", never written: a declared transfer is a checkout, and becomes a payment only once confirmed.

    /// <summary>Fully refunded.</summary>
    Refunded = 3,
}
