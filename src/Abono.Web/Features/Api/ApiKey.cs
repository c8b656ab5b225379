using Abono.Web.Features.Companies;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Api;

/// <summary>A company's key for the REST API. Shown once when created; only its hash is stored.</summary>
public sealed class ApiKey : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CompanyId { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters, so people can tell keys apart ("abk_3fA9…").</summary>
    public required string Prefix { get; set; }
    public required string KeyHash { get; set; }
    public ApiScope Scope { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Api.ApiKey>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Api.ApiKey> b)
    {
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Prefix).HasMaxLength(20);
        b.Property(x => x.KeyHash).HasMaxLength(64);
        b.HasIndex(x => x.KeyHash).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}

public enum ApiScope
{
    Read = 1,
    Write = 2,
}
