using Abono.Web.Features.Companies;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Reminders;

/// <summary>A company's reminder schedule: days relative to vencimiento (−3 = three days before, 7 = a week after).</summary>
public sealed class ReminderSettings : ITenantOwned
{
    public static readonly int[] DefaultOffsets = [-3, 0, 7, 30];

    public Guid CompanyId { get; set; }
    public bool Enabled { get; set; } = true;
    public string Offsets { get; set; } = string.Join(",", DefaultOffsets);

    /// <summary>The last Chilean day fully processed; the job resumes from the day after (catch-up after downtime).</summary>
    public DateOnly? LastRunDate { get; set; }

    public int[] OffsetList => Offsets.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
}

internal sealed class ReminderSettingsConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Reminders.ReminderSettings>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Reminders.ReminderSettings> b)
    {
        b.HasKey(x => x.CompanyId);
        b.Property(x => x.Offsets).HasMaxLength(100);
        b.Ignore(x => x.OffsetList);
        b.HasOne<Company>().WithOne().HasForeignKey<Abono.Web.Features.Reminders.ReminderSettings>(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}
