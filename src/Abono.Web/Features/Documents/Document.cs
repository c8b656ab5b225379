using Abono.Web.Features.Customers;
using Abono.Web.Platform.Tenancy;

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
    public Guid? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<DocumentLine> Lines { get; set; } = [];
    public List<DocumentPayment> Payments { get; set; } = [];

    public DocumentStatus StatusOn(DateOnly today) => StatusOf(Balance, DueDate, today);

    public static DocumentStatus StatusOf(long balance, DateOnly dueDate, DateOnly today) =>
        balance == 0 ? DocumentStatus.Pagado
        : dueDate < today ? DocumentStatus.Vencido
        : DocumentStatus.Pendiente;

    public string DisplayName => $"{Type.ShortName()} N° {Folio}";
}

public enum DocumentOrigin
{
    Documentos = 1,
    PuntoDeVenta = 2,
    Demo = 3,
    Importacion = 4,
}

public enum DocumentStatus
{
    Pagado = 1,
    Pendiente = 2,
    Vencido = 3,
}

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

/// <summary>One forma de pago of a document and the part of the total it covers.</summary>
public sealed class DocumentPayment : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public long DocumentId { get; set; }
    public PaymentForm Form { get; set; }
    public long Amount { get; set; }
}

/// <summary>The last folio used per company and document type; its row lock serializes issuing.</summary>
public sealed class FolioCounter : ITenantOwned
{
    public Guid CompanyId { get; set; }
    public DocumentType DocumentType { get; set; }
    public long LastFolio { get; set; }
}
