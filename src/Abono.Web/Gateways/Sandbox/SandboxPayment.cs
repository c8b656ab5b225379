namespace Abono.Web.Gateways.Sandbox;

/// <summary>
/// The sandbox "provider's" own record, kept apart from our checkouts as a real provider's would be.
/// Only the sandbox endpoints touch it; the engine learns about it through the status API.
/// </summary>
public sealed class SandboxPayment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string OrderReference { get; set; }
    public long Amount { get; set; }
    public required string Currency { get; set; }
    public required string MerchantName { get; set; }
    public required string Description { get; set; }
    public required string ReturnUrl { get; set; }
    public SandboxDecision Decision { get; set; } = SandboxDecision.Pending;
    public DateTime CreatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
}

public enum SandboxDecision
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    Abandoned = 3,
}
