using Abono.Web.Platform.Tenancy;

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
