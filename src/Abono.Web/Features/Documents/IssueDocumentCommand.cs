namespace Abono.Web.Features.Documents;

/// <summary>What both Documentos and Punto de venta send to issue a document. Everything arrives untrusted.</summary>
public sealed class IssueDocumentCommand
{
    public int? Type { get; set; }
    public long? CustomerId { get; set; }
    public DateOnly? IssueDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public List<IssueLine> Lines { get; set; } = [];

    /// <summary>One forma de pago for the whole total, or null to use <see cref="Amounts"/> (pago mixto).</summary>
    public PaymentForm? SinglePaymentForm { get; set; }
    public Dictionary<PaymentForm, long?> Amounts { get; set; } = [];
    public long? ReferenceDocumentId { get; set; }
    public string? ReferenceReason { get; set; }
    public DocumentOrigin Origin { get; set; } = DocumentOrigin.Documentos;
    public Guid? UserId { get; set; }
}

public sealed class IssueLine
{
    public long? ProductId { get; set; }
    public string? Description { get; set; }
    public long? Quantity { get; set; }
    public long? UnitPrice { get; set; }
    public bool IsExempt { get; set; }

    public bool IsBlank => ProductId is null && string.IsNullOrWhiteSpace(Description) && Quantity is null && UnitPrice is null;
}

public static class IssueLimits
{
    public const int MaxLines = 60;
    public const long MaxQuantity = 100_000;
    public const long MaxUnitPrice = 10_000_000_000;
    public const int MaxDescription = 300;
}
