namespace Abono.Web.Features.Documents;

/// <summary>The issue form shared by Documentos and Punto de venta; property names match the issuer's error keys.</summary>
public sealed class DocumentForm
{
    public const string Mixed = "Mixto";

    public int? Type { get; set; }
    public long? CustomerId { get; set; }
    public string? CustomerQuery { get; set; }
    public DateOnly? IssueDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public List<IssueLine> Lines { get; set; } = [];

    /// <summary>A <see cref="PaymentForm"/> name, or "Mixto" to split the total with <see cref="Amounts"/>.</summary>
    public string? SinglePaymentForm { get; set; }
    public Dictionary<PaymentForm, long?> Amounts { get; set; } = [];
    public long? ReferenceDocumentId { get; set; }
    public string? ReferenceReason { get; set; }

    /// <summary>Quick add in Punto de venta: a catalogue product and how many.</summary>
    public long? QuickProductId { get; set; }
    public long? QuickQuantity { get; set; }

    public IssueDocumentCommand ToCommand(DocumentOrigin origin, Guid? userId) => new()
    {
        Type = Type,
        CustomerId = CustomerId,
        IssueDate = IssueDate,
        DueDate = DueDate,
        Lines = Lines,
        SinglePaymentForm = Enum.TryParse<PaymentForm>(SinglePaymentForm, out var single) && Enum.IsDefined(single)
            ? single
            : null,
        Amounts = SinglePaymentForm == Mixed ? Amounts : [],
        ReferenceDocumentId = ReferenceDocumentId,
        ReferenceReason = ReferenceReason,
        Origin = origin,
        UserId = userId,
    };
}
