using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Api;

/// <summary>A POST answered under an Idempotency-Key: the same key and body get the same answer for 24 hours.</summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int? StatusCode { get; set; }
    public string? ResponseBody { get; set; }
    public string? ResponseContentType { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<Abono.Web.Features.Api.IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<Abono.Web.Features.Api.IdempotencyRecord> b)
    {
        b.Property(x => x.Key).HasMaxLength(100);
        b.Property(x => x.RequestHash).HasMaxLength(300);
        b.Property(x => x.ResponseContentType).HasMaxLength(100);
        b.HasIndex(x => new { x.CompanyId, x.Key }).IsUnique();
        b.HasIndex(x => x.CreatedAt);
    }
}
