using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Webhooks;

/// <summary>One event sent (or being sent) to one endpoint: the delivery log behind Reenviar.</summary>
public sealed class WebhookDelivery : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long EndpointId { get; set; }
    public Guid EventId { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Attempts { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime? DeliveredAt { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Webhooks.WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Webhooks.WebhookDelivery> b)
    {
        b.Property(x => x.EventType).HasMaxLength(40);
        b.Property(x => x.LastError).HasMaxLength(300);
        b.HasIndex(x => new { x.CompanyId, x.CreatedAt });
        b.HasIndex(x => new { x.EndpointId, x.EventId }).IsUnique();
        b.HasOne<Abono.Web.Features.Webhooks.WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class WebhookEvents
{
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentRefunded = "payment.refunded";
    public const string DocumentPaid = "document.paid";
    public const string TransferDeclared = "transfer.declared";
}
