using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Documents;

/// <summary>
/// One cesión of a factura (RPETC), as an AEC file states it (SeqCesion), or recorded by hand or through the API;
/// undone with a note when the factura comes back. The highest standing sequence names the current owner, which is
/// copied to <see cref="Document.CededToRut"/>.
/// </summary>
public sealed class DocumentCession : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long DocumentId { get; set; }
    public int Sequence { get; set; }
    public required string CessionaryRut { get; set; }
    public required string CessionaryName { get; set; }
    public DateTime CededAt { get; set; }
    public long? Amount { get; set; }
    public CessionSource Source { get; set; }
    public string? Note { get; set; }
    public DateTime RecordedAt { get; set; }
    public string? RecordedBy { get; set; }
    public DateTime? RevertedAt { get; set; }
    public string? RevertNote { get; set; }
}

public enum CessionSource
{
    Aec = 1,
    Manual = 2,
    Api = 3,
}

internal sealed class DocumentCessionConfiguration : IEntityTypeConfiguration<DocumentCession>
{
    public void Configure(EntityTypeBuilder<DocumentCession> b)
    {
        b.Property(x => x.CessionaryRut).HasMaxLength(12);
        b.Property(x => x.CessionaryName).HasMaxLength(100);
        b.Property(x => x.Note).HasMaxLength(300);
        b.Property(x => x.RevertNote).HasMaxLength(300);
        b.Property(x => x.RecordedBy).HasMaxLength(256);
        // An AEC imported twice (or a later AEC repeating the earlier cesiones) records each cesión once.
        b.HasIndex(x => new { x.DocumentId, x.Sequence }).IsUnique();
        b.HasOne<Document>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
