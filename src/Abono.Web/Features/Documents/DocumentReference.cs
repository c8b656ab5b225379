using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Documents;

/// <summary>
/// A Referencia of a DTE (a nota de crédito or débito naming the factura it amends). Until the referenced document is
/// in Abono the reference is *pendiente de referencia* (<see cref="ReferencedDocumentId"/> null); it is applied, once,
/// when that document arrives.
/// </summary>
public sealed class DocumentReference : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }

    /// <summary>The document that carries the reference (the nota).</summary>
    public long DocumentId { get; set; }
    public int LineNumber { get; set; }

    /// <summary>TpoDocRef: the SII code of the referenced document (33, 34, …; other codes such as 801 orden de compra are kept, never applied).</summary>
    public int ReferencedType { get; set; }
    public long ReferencedFolio { get; set; }
    public DateOnly? ReferencedDate { get; set; }

    /// <summary>CodRef: 1 anula, 2 corrige texto, 3 corrige montos.</summary>
    public int? CodRef { get; set; }
    public string? Reason { get; set; }

    public long? ReferencedDocumentId { get; set; }

    /// <summary>What applying it changed on the referenced document's balance (negative for a nota de crédito).</summary>
    public long? AppliedAmount { get; set; }
    public DateTime? AppliedAt { get; set; }
}

internal sealed class DocumentReferenceConfiguration : IEntityTypeConfiguration<DocumentReference>
{
    public void Configure(EntityTypeBuilder<DocumentReference> b)
    {
        b.Property(x => x.Reason).HasMaxLength(100);
        b.HasIndex(x => new { x.DocumentId, x.LineNumber }).IsUnique();
        // Finding the notas that wait for a document when it arrives.
        b.HasIndex(x => new { x.CompanyId, x.ReferencedType, x.ReferencedFolio });
        b.HasOne<Document>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Document>().WithMany().HasForeignKey(x => x.ReferencedDocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}
