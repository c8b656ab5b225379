using Abono.Web.Features.Companies;
using Abono.Web.Features.Customers;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Documents;

/// <summary>A sales document as issued (electronic signing and SII submission are out of scope).</summary>
public sealed class Document : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public DocumentType Type { get; set; }
    public long Folio { get; set; }
    public long? CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public DateOnly IssueDate { get; set; }
    public DateOnly DueDate { get; set; }

    /// <summary>Taxable amount before IVA, whole pesos.</summary>
    public long Net { get; set; }
    public long Exempt { get; set; }
    public long Tax { get; set; }
    public long Total { get; set; }

    /// <summary>What is still owed: the Crédito part, less notas de crédito and payments.</summary>
    public long Balance { get; set; }

    /// <summary>For notas de crédito and débito: the document they amend.</summary>
    public long? ReferenceDocumentId { get; set; }
    public Document? ReferenceDocument { get; set; }
    public string? ReferenceReason { get; set; }

    public DocumentOrigin Origin { get; set; }

    /// <summary>
    /// Set while the factura is ceded to a factoring company (cesión): it is theirs to collect, so it is never payable
    /// in the portal, reminded or allocated. The history (AEC, by hand, API, undone) is in DocumentCessions.
    /// </summary>
    public string? CededToRut { get; set; }
    public string? CededToName { get; set; }
    public DateTime? CededAt { get; set; }

    /// <summary>Set while the buyer's claim (Ley 19.983) stands: excluded from collection like a ceded factura.</summary>
    public DocumentClaim? Claim { get; set; }
    public DateTime? ClaimedAt { get; set; }
    public string? ClaimNote { get; set; }

    /// <summary>For a nota de crédito: the part that found no balance on the factura it references (saldo a favor of the customer).</summary>
    public long UnappliedCredit { get; set; }

    public Guid? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<DocumentLine> Lines { get; set; } = [];
    public List<DocumentPayment> Payments { get; set; } = [];

    public DocumentStatus StatusOn(DateOnly today) => StatusOf(Type, Balance, DueDate, today);

    /// <summary>A nota de crédito owes nothing and is never paid: it is applied to the document it references.</summary>
    public static DocumentStatus StatusOf(DocumentType type, long balance, DateOnly dueDate, DateOnly today) =>
        type == DocumentType.NotaCredito ? DocumentStatus.Aplicada
        : balance == 0 ? DocumentStatus.Pagado
        : dueDate < today ? DocumentStatus.Vencido
        : DocumentStatus.Pendiente;

    public string DisplayName => $"{Type.ShortName()} N° {Folio}";
}

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> b)
    {
        b.HasIndex(x => new { x.CompanyId, x.Type, x.Folio }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.CustomerId, x.Balance });
        b.HasIndex(x => new { x.CompanyId, x.IssueDate });
        b.HasIndex(x => new { x.CompanyId, x.DueDate });
        // Documentos adeudados: owed rows only, in report order, with what the totals sum (index-only scans).
        b.HasIndex(x => new { x.CompanyId, x.DueDate, x.Id, x.Balance }, "IX_Documents_Owed").HasFilter("\"Balance\" > 0");
        b.Property(x => x.ReferenceReason).HasMaxLength(200);
        b.Property(x => x.CededToRut).HasMaxLength(12);
        b.Property(x => x.CededToName).HasMaxLength(100);
        b.Property(x => x.ClaimNote).HasMaxLength(300);
        b.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.ReferenceDocument).WithMany().HasForeignKey(x => x.ReferenceDocumentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Payments).WithOne().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(x => x.DisplayName);
    }
}

public enum DocumentOrigin
{
    Documentos = 1,
    PuntoDeVenta = 2,
    Demo = 3,
    Importacion = 4,

    /// <summary>Imported from the DTE XML the business's invoicing system issued (Documentos → Importar XML, the API, the import command).</summary>
    DteXml = 5,
}

/// <summary>The buyer's claim against a factura (Ley 19.983, within 8 days of receiving it), as the SII names them.</summary>
public enum DocumentClaim
{
    /// <summary>Reclamo al contenido del documento (RCD).</summary>
    Contenido = 1,

    /// <summary>Reclamo por falta parcial de mercaderías (RFP).</summary>
    FaltaParcial = 2,

    /// <summary>Reclamo por falta total de mercaderías (RFT).</summary>
    FaltaTotal = 3,
}

public enum DocumentStatus
{
    Pagado = 1,
    Pendiente = 2,
    Vencido = 3,

    /// <summary>A nota de crédito: its total came off the balance of the document it references.</summary>
    Aplicada = 4,
}
