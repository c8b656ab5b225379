using Abono.Web.Features.Companies;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Webhooks.WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Webhooks.WebhookEndpoint> b)
    {
        b.Property(x => x.Url).HasMaxLength(500);
        b.Property(x => x.SecretProtected).HasMaxLength(1000);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}
