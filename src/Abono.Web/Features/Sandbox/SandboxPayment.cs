using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Sandbox;

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

internal sealed class SandboxPaymentConfiguration : IEntityTypeConfiguration<SandboxPayment>
{
    public void Configure(EntityTypeBuilder<SandboxPayment> b)
    {
        b.Property(x => x.OrderReference).HasMaxLength(64);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.MerchantName).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(200);
        b.Property(x => x.ReturnUrl).HasMaxLength(500);
    }
}

public enum SandboxDecision
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    Abandoned = 3,
}
