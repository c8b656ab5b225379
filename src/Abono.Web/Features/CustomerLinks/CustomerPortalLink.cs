using Abono.Web.Features.Customers;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.CustomerLinks;

/// <summary>A customer link (Enlace de pago específico para un cliente). Looked up by hash; the token is kept encrypted to show it again.</summary>
public sealed class CustomerPortalLink : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long CustomerId { get; set; }
    public required string TokenHash { get; set; }
    public required string TokenProtected { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class CustomerPortalLinkConfiguration : IEntityTypeConfiguration<CustomerPortalLink>
{
    public void Configure(EntityTypeBuilder<CustomerPortalLink> b)
    {
        b.Property(x => x.TokenHash).HasMaxLength(64);
        b.Property(x => x.TokenProtected).HasMaxLength(1000);
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.CustomerId });
        b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
