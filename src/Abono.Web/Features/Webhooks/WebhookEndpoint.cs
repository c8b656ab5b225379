using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Features.Webhooks;

/// <summary>A URL of the business's systems that hears about payments. Its signing secret is kept encrypted.</summary>
public sealed class WebhookEndpoint : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public required string Url { get; set; }
    public required string SecretProtected { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}

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

public static class WebhookEvents
{
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentRefunded = "payment.refunded";
    public const string DocumentPaid = "document.paid";
    public const string TransferDeclared = "transfer.declared";
}
