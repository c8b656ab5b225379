using Abono.Web.Features.Customers;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Portal;

/// <summary>A one-time portal code: 6 digits, 10 minutes, single use, 5 tries. Only its hash is stored.</summary>
public sealed class PortalVerificationCode : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid CompanyId { get; set; }
    public long CustomerId { get; set; }
    public required string CodeHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? UsedAt { get; set; }

    /// <summary>Who asked for it (hashed client address): sends are limited per source as well as per customer.</summary>
    public string? SourceHash { get; set; }
}

internal sealed class PortalVerificationCodeConfiguration : IEntityTypeConfiguration<PortalVerificationCode>
{
    public void Configure(EntityTypeBuilder<PortalVerificationCode> b)
    {
        b.Property(x => x.CodeHash).HasMaxLength(64);
        b.Property(x => x.SourceHash).HasMaxLength(64);
        b.HasIndex(x => new { x.CustomerId, x.CreatedAt });
        b.HasIndex(x => new { x.SourceHash, x.CreatedAt });
        b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
