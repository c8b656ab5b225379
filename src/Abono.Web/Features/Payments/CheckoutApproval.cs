using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Payments;

/// <summary>
/// One verified approval a provider holds for one of our checkouts: the exactly-once key of the money. A checkout
/// usually has one; it can have more when the provider lets the payer pay again inside the same attempt (several
/// Mercado Pago payments of one preference). The unique (CheckoutId, ProviderReference) key makes a duplicate of the
/// same approval — a webhook retry, the return racing reconciliation — insert nothing, in the same transaction that
/// books it; a different approval is booked as a payment of its own.
/// </summary>
public sealed class CheckoutApproval : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public Guid CheckoutId { get; set; }

    /// <summary>The provider's id of the approved payment (Mercado Pago payment id, Stripe session, Webpay token, ...).</summary>
    public required string ProviderReference { get; set; }
    public long Amount { get; set; }

    /// <summary>True for the approval that settled the checkout; false for any further approval (booked as saldo a favor, for review).</summary>
    public bool SettledCheckout { get; set; }
    public DateTime RecordedAt { get; set; }

    /// <summary>
    /// The provider approved another amount or currency than the checkout's (PaymentConfirmation.MismatchAsync). In
    /// the checkout's currency it is booked as saldo a favor of its own amount, never against the documents; in
    /// another currency nothing can be booked and Reportes → Pagos → En revisión lists it until someone marks it.
    /// </summary>
    public bool AmountMismatch { get; set; }

    /// <summary>The currency the provider approved in, for a mismatch (null for the others: the checkout's).</summary>
    public string? Currency { get; set; }

    /// <summary>When someone marked an unbooked mismatch as reviewed in En revisión, and who.</summary>
    public DateTime? ReviewedAt { get; set; }
    public string? ReviewedBy { get; set; }
}

internal sealed class CheckoutApprovalConfiguration : IEntityTypeConfiguration<CheckoutApproval>
{
    public void Configure(EntityTypeBuilder<CheckoutApproval> b)
    {
        b.ToTable("CheckoutApprovals");
        b.Property(x => x.ProviderReference).HasMaxLength(100);
        b.Property(x => x.Currency).HasMaxLength(10);
        b.Property(x => x.ReviewedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.CheckoutId, x.ProviderReference }).IsUnique();
        b.HasOne<Checkout>().WithMany().HasForeignKey(x => x.CheckoutId).OnDelete(DeleteBehavior.Restrict);
    }
}
