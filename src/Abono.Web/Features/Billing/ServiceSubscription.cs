using Abono.Web.Features.Companies;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Billing;

/// <summary>A company's contract of one add-on. One row per company and add-on, reused if contracted again.</summary>
public sealed class ServiceSubscription : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CompanyId { get; set; }
    public required string AddOnCode { get; set; }
    public SubscriptionStatus Status { get; set; } = SubscriptionStatus.PendingPayment;

    /// <summary>The price fixed when the company contracted; later price changes do not touch it.</summary>
    public long MonthlyPrice { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ActivatedAt { get; set; }
    public DateOnly? CurrentPeriodStart { get; set; }

    /// <summary>The start of the next period to invoice; the invoicing job advances it exactly once per period.</summary>
    public DateOnly? NextChargeDate { get; set; }
    public DateTime? CancelledAt { get; set; }

    /// <summary>For a cancelled service: the day it stops (the end of the paid period).</summary>
    public DateOnly? EndsOn { get; set; }

    public bool IsActiveOn(DateOnly today) =>
        Status is SubscriptionStatus.Active or SubscriptionStatus.Cancelling && (EndsOn is null || today < EndsOn);
}

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<ServiceSubscription>
{
    public void Configure(EntityTypeBuilder<ServiceSubscription> b)
    {
        b.Property(x => x.AddOnCode).HasMaxLength(40);
        b.HasIndex(x => new { x.CompanyId, x.AddOnCode }).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextChargeDate });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AddOn>().WithMany().HasForeignKey(x => x.AddOnCode).OnDelete(DeleteBehavior.Restrict);
    }
}

public enum SubscriptionStatus
{
    PendingPayment = 1,
    Active = 2,

    /// <summary>Cancelled by the company; active until <see cref="ServiceSubscription.EndsOn"/>.</summary>
    Cancelling = 3,
    Ended = 4,
}
