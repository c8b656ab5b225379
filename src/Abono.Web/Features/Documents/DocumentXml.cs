using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Documents;

/// <summary>
/// The DTE XML a document was imported from, byte for byte as it came (for a DTE inside an EnvioDTE, that DTE's own
/// bytes), so it can be downloaded and its signature checked again; its hash tells a re-import from a changed one.
/// </summary>
public sealed class DocumentXml : ITenantOwned
{
    public long DocumentId { get; set; }
    public Guid CompanyId { get; set; }
    public required byte[] Content { get; set; }

    /// <summary>SHA-256 of <see cref="Content"/>, lowercase hex.</summary>
    public required string Sha256 { get; set; }
    public required string FileName { get; set; }

    /// <summary>The offline XML-DSig check when imported: valid, changed after signing, unsigned, or not verifiable.</summary>
    public DteSignatureState Signature { get; set; }
    public DateTime ImportedAt { get; set; }
}

public enum DteSignatureState
{
    Unsigned = 1,
    Valid = 2,
    Invalid = 3,
    NotVerifiable = 4,
}

internal sealed class DocumentXmlConfiguration : IEntityTypeConfiguration<DocumentXml>
{
    public void Configure(EntityTypeBuilder<DocumentXml> b)
    {
        b.HasKey(x => x.DocumentId);
        b.Property(x => x.DocumentId).ValueGeneratedNever();
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.FileName).HasMaxLength(200);
        b.HasOne<Document>().WithOne().HasForeignKey<DocumentXml>(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
