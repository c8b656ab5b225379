using Abono.Web.Features.Collections;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Api;

// What the REST API sends and receives. Amounts are whole pesos (CLP has no decimals); dates are ISO (yyyy-MM-dd).

public sealed record CustomerDto(long Id, string Rut, string Name, string? Email, string? Phone, string? Address, int CreditDays)
{
    public static CustomerDto From(Customer c) => new(c.Id, Platform.Chile.Rut.Format(c.Rut), c.Name, c.Email, c.Phone, c.Address, c.CreditDays);
}

public sealed record CustomerRequest(string? Rut, string? Name, string? Email, string? Phone, string? Address, int? CreditDays);

public sealed record DocumentLineDto(int LineNumber, string Description, long Quantity, long UnitPrice, bool IsExempt, long Amount);

/// <param name="Collectible">False while the factura is ceded or claimed: it is not payable in the portal nor listed as owed.</param>
public sealed record DocumentDto(long Id, int Type, string TypeName, long Folio, long? CustomerId, DateOnly IssueDate, DateOnly DueDate,
    long Net, long Exempt, long Tax, long Total, long Balance, string Status, long? ReferenceDocumentId, IReadOnlyList<DocumentLineDto>? Lines,
    bool Collectible = true, CessionDto? Cession = null, ClaimDto? Claim = null)
{
    public static DocumentDto From(Document d, DateOnly today, bool withLines) => new(d.Id, (int)d.Type, d.Type.Name(), d.Folio, d.CustomerId,
        d.IssueDate, d.DueDate, d.Net, d.Exempt, d.Tax, d.Total, d.Balance, d.StatusOn(today) switch
        {
            // A nota de crédito reads "Aplicada" on screen; the API keeps the "pagado" it always sent (balance 0).
            DocumentStatus.Pagado or DocumentStatus.Aplicada => "pagado",
            DocumentStatus.Vencido => "vencido",
            _ => "pendiente",
        }, d.ReferenceDocumentId,
        withLines ? d.Lines.OrderBy(l => l.LineNumber).Select(l => new DocumentLineDto(l.LineNumber, l.Description, l.Quantity, l.UnitPrice, l.IsExempt, l.Amount)).ToList() : null,
        d.IsCollectible(),
        d.CededToRut is null ? null : new CessionDto(Platform.Chile.Rut.Format(d.CededToRut), d.CededToName ?? "", d.CededAt is { } at ? DocumentCessions.ChileDate(at) : null),
        d.Claim is { } claim ? new ClaimDto(ClaimCodes.Code(claim), d.ClaimedAt, d.ClaimNote) : null);
}

/// <summary>Who the factura is ceded to now (the highest standing cesión).</summary>
public sealed record CessionDto(string CessionaryRut, string CessionaryName, DateOnly? CededOn);

public sealed record ClaimDto(string Reason, DateTime? ClaimedAt, string? Note);

/// <summary>Sequence: SeqCesion when known (re-sending one changes nothing); without it, the next one. CededOn defaults to today.</summary>
public sealed record CessionRequest(string? CessionaryRut, string? CessionaryName, DateOnly? CededOn, long? Amount, int? Sequence, string? Note);

public sealed record CessionRevertRequest(string? Note);

/// <summary>Reason: contenido, falta-parcial or falta-total.</summary>
public sealed record ClaimRequest(string? Reason, string? Note);

public sealed record DocumentLineRequest(long? ProductId, string? Description, long? Quantity, long? UnitPrice, bool IsExempt);

/// <summary>Either paymentForm (efectivo, tarjeta, transferencia, credito) for the whole total, or amounts per form.</summary>
public sealed record DocumentRequest(int? Type, long? CustomerId, DateOnly? IssueDate, DateOnly? DueDate, List<DocumentLineRequest>? Lines,
    string? PaymentForm, Dictionary<string, long?>? Amounts, long? ReferenceDocumentId, string? ReferenceReason);

public sealed record PaymentDto(long Id, DateTime PaidAt, long CustomerId, string Method, string? GatewayReference, long Amount, long CreditAmount, string Status,
    IReadOnlyList<AllocationDto> Allocations);

public sealed record AllocationDto(long DocumentId, long Amount);

public sealed record PortalLinkDto(string Url, DateTime? ExpiresAt);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class PaymentDtos
{
    public static PaymentDto From(Payment p) => new(p.Id, p.PaidAt, p.CustomerId, Gateways.GatewayExtensions.Name(p.Method), p.GatewayReference,
        p.Amount, p.CreditAmount, p.Status == PaymentStatus.Refunded ? "reembolsado" : "confirmado",
        p.Allocations.Select(a => new AllocationDto(a.DocumentId, a.Amount)).ToList());

    public static DateOnly Today(TimeProvider clock) => ChileFormats.Today(clock);
}
