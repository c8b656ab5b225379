using Abono.Web.Features.Customers;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Reminders;

/// <summary>One reminder email to one customer for one day; unique per (customer, day), so it is never sent twice.</summary>
public sealed class ReminderLog : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long CustomerId { get; set; }
    public DateOnly ReminderDate { get; set; }
    public int Documents { get; set; }
    public long Amount { get; set; }
    public DateTime SentAt { get; set; }
}

internal sealed class ReminderLogConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Reminders.ReminderLog>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Reminders.ReminderLog> b)
    {
        b.HasIndex(x => new { x.CompanyId, x.CustomerId, x.ReminderDate }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.SentAt });
        b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
