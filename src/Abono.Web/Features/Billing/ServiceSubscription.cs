using System.Linq.Expressions;
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

    /// <summary>
    /// The one rule for "this service is on today": active, or cancelled but still inside the paid period. Queries use
    /// it as SQL; code asks <see cref="IsActiveOn"/>, which evaluates the same expression. The Portal de pagos pages'
    /// compiled query repeats it (EF cannot compose an expression into a compiled query); PortalOpenRuleTests holds
    /// every copy to this one over every status and end date.
    /// </summary>
    public static Expression<Func<ServiceSubscription, bool>> ActiveOn(DateOnly today) => s =>
        (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Cancelling) && (s.EndsOn == null || today < s.EndsOn);

    public bool IsActiveOn(DateOnly today) => ActiveOn(today).Compile(preferInterpretation: true)(this);
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
