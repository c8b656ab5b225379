using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.PortalSettings;

/// <summary>The portal's logo as Abono re-encoded it (PNG); kept apart so portal pages never load the bytes.</summary>
public sealed class PortalLogo : ITenantOwned
{
    public Guid CompanyId { get; set; }
    public required byte[] Png { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class PortalLogoConfiguration : IEntityTypeConfiguration<PortalLogo>
{
    public void Configure(EntityTypeBuilder<PortalLogo> b)
    {
        b.HasKey(x => x.CompanyId);
        b.HasOne<PortalConfiguration>().WithOne().HasForeignKey<PortalLogo>(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}
