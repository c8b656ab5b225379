using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Documents;

public sealed class DocumentLine : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long DocumentId { get; set; }
    public int LineNumber { get; set; }
    public long? ProductId { get; set; }
    public required string Description { get; set; }
    public long Quantity { get; set; }
    public long UnitPrice { get; set; }
    public bool IsExempt { get; set; }

    /// <summary>Quantity × unit price, whole pesos.</summary>
    public long Amount { get; set; }
}

internal sealed class DocumentLineConfiguration : IEntityTypeConfiguration<DocumentLine>
{
    public void Configure(EntityTypeBuilder<DocumentLine> b)
    {
        b.Property(x => x.Description).HasMaxLength(300);
        b.HasIndex(x => new { x.DocumentId, x.LineNumber }).IsUnique();
    }
}
