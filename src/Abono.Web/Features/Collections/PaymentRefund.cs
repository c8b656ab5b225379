using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Collections;

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

internal sealed class PaymentRefundConfiguration : IEntityTypeConfiguration<PaymentRefund>
{
    public void Configure(EntityTypeBuilder<PaymentRefund> b)
    {
        b.Property(x => x.GatewayReference).HasMaxLength(100);
        b.Property(x => x.Reason).HasMaxLength(300);
        b.Property(x => x.RequestedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.CompanyId, x.PaymentId });
        b.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId).OnDelete(DeleteBehavior.Restrict);
    }
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
