using Abono.Web.Gateways;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Payments.Inbox;

/// <summary>
/// One verified webhook from a payment provider, stored before we answer 2xx. Unique on (Gateway, EventId): the
/// provider's retries and duplicates land on the same row. Processed by <see cref="InboxProcessor"/> under a lease.
/// </summary>
public sealed class InboxEvent : Platform.Jobs.ILeased
{
    public long Id { get; set; }
    public GatewayKind Gateway { get; set; }
    public required string EventId { get; set; }

    /// <summary>Whose credentials verified it: "platform" or "m{paymentMethodId}".</summary>
    public required string WebhookKey { get; set; }
    public required string Type { get; set; }
    public required string ResourceId { get; set; }
    public required string Body { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public Guid? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? ProcessedAt { get; set; }

    /// <summary>applied, duplicate, pending, ignored, mismatch, foreign, dead.</summary>
    public string? Outcome { get; set; }
    public Guid? CheckoutId { get; set; }
    public string? LastError { get; set; }
}

internal sealed class InboxEventConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Payments.Inbox.InboxEvent>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Payments.Inbox.InboxEvent> b)
    {
        b.ToTable("InboxEvents");
        b.Property(x => x.EventId).HasMaxLength(200);
        b.Property(x => x.WebhookKey).HasMaxLength(40);
        b.Property(x => x.Type).HasMaxLength(100);
        b.Property(x => x.ResourceId).HasMaxLength(200);
        b.Property(x => x.Outcome).HasMaxLength(20);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.HasIndex(x => new { x.Gateway, x.EventId }).IsUnique();
        b.HasIndex(x => new { x.ProcessedAt, x.NextAttemptAt });
    }
}
