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

    /// <summary>
    /// Dates a document can carry. Anything outside is a typo or a probe (9999-12-31, 0001-01-01), refused before any
    /// date arithmetic, which would overflow at the ends of the calendar.
    /// </summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
    public static readonly DateOnly LatestDate = new(2099, 12, 31);

    public static bool IsPlausible(DateOnly date) => date >= EarliestDate && date <= LatestDate;

    public static string DateRangeMessage(string which) =>
        $"La fecha de {which} debe estar entre el {Platform.Chile.ChileFormats.Date(EarliestDate)} y el {Platform.Chile.ChileFormats.Date(LatestDate)}.";
}
