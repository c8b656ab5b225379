using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Billing;

/// <summary>The platform's monthly invoice to a company; the add-on appears as an additional service.</summary>
public sealed class PlatformInvoice : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public Guid SubscriptionId { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public required string Description { get; set; }
    public long Amount { get; set; }

    /// <summary>Set when a confirmed payment covers it (the first period is paid when contracting).</summary>
    public Guid? PaidByCheckoutId { get; set; }
    public DateTime IssuedAt { get; set; }
}

internal sealed class PlatformInvoiceConfiguration : IEntityTypeConfiguration<PlatformInvoice>
{
    public void Configure(EntityTypeBuilder<PlatformInvoice> b)
    {
        b.Property(x => x.Description).HasMaxLength(200);
        b.HasIndex(x => new { x.SubscriptionId, x.PeriodStart }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.PeriodStart });
        b.HasOne<ServiceSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
    }
}
