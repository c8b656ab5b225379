using System.Globalization;
using Abono.Web.Data;
using Abono.Web.Features.Customers;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Reports;

/// <summary>Filters of Reportes → Pagos → Documentos adeudados, as they arrive from the query string.</summary>
public sealed class OwedDocumentsFilter
{
    public string? Cliente { get; set; }
    public int? Tipo { get; set; }
    public DateOnly? EmisionDesde { get; set; }
    public DateOnly? EmisionHasta { get; set; }
    public DateOnly? VenceDesde { get; set; }
    public DateOnly? VenceHasta { get; set; }
    public bool SoloVencidos { get; set; }

    /// <summary>
    /// Which owed documents: by default only those the business may collect; "cedidas" the facturas ceded to a
    /// factoring company (theirs to collect), "reclamadas" those under the buyer's claim. Ceded and claimed ones never
    /// count in the default totals: that money is not the business's to chase.
    /// </summary>
    public string? Situacion { get; set; }

    public const string Cedidas = "cedidas";
    public const string Reclamadas = "reclamadas";

    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (Cliente?.Length > 100)
        {
            errors.Add(nameof(Cliente), "Escribe como máximo 100 caracteres.");
        }
        if (Tipo is { } t && !DocumentTypes.IsDefined(t))
        {
            errors.Add(nameof(Tipo), "Ese tipo de documento no existe.");
        }
        if (EmisionDesde > EmisionHasta)
        {
            errors.Add(nameof(EmisionHasta), "La emisión «hasta» es anterior a «desde».");
        }
        if (Situacion is not (null or "" or Cedidas or Reclamadas))
        {
            errors.Add(nameof(Situacion), "Elige cobrables, cedidas o reclamadas.");
        }
        if (VenceDesde > VenceHasta)
        {
            errors.Add(nameof(VenceHasta), "El vencimiento «hasta» es anterior a «desde».");
        }
        return errors;
    }
}

public sealed record OwedRow(long Id, DocumentType Type, long Folio, long CustomerId, string CustomerName, string CustomerRut,
    DateOnly IssueDate, DateOnly DueDate, long Total, long Balance, string? CededToRut = null, string? CededToName = null, DocumentClaim? Claim = null)
{
    public int DaysOverdue(DateOnly today) => Math.Max(0, today.DayNumber - DueDate.DayNumber);
}

public sealed record OwedTotals(int Count, long Debt, long Overdue, long NotDue, long Days1To30, long Days31To60, long Days61To90, long Over90);

public sealed record OwedCustomerRow(long CustomerId, string CustomerName, string CustomerRut, int Documents, long Debt, long Overdue, DateOnly OldestDue);

/// <summary>
/// The owed-documents report: filters, keyset pages ordered by (vencimiento, id), and totals with aging buckets
/// computed in the database. Pages and exports use these same queries.
/// </summary>
public sealed class OwedDocumentsReport(AbonoDbContext db)
{
    public const int PageSize = 50;

    public IQueryable<Document> Filtered(OwedDocumentsFilter filter, DateOnly today)
    {
        var query = db.Documents.AsNoTracking().Where(d => d.Balance > 0);
        query = filter.Situacion switch
        {
            OwedDocumentsFilter.Cedidas => query.Where(d => d.CededToRut != null),
            OwedDocumentsFilter.Reclamadas => query.Where(d => d.Claim != null),
            _ => query.Where(DocumentCollection.Collectible),
        };
        var term = filter.Cliente?.Trim();
        if (!string.IsNullOrEmpty(term))
        {
            var customers = CustomerSearch.MatchingIds(db, term);
            query = query.Where(d => customers.Contains(d.CustomerId!.Value));
        }
        if (filter.Tipo is { } tipo && DocumentTypes.IsDefined(tipo))
        {
            var type = (DocumentType)tipo;
            query = query.Where(d => d.Type == type);
        }
        if (filter.EmisionDesde is { } ed) { query = query.Where(d => d.IssueDate >= ed); }
        if (filter.EmisionHasta is { } eh) { query = query.Where(d => d.IssueDate <= eh); }
        if (filter.VenceDesde is { } vd) { query = query.Where(d => d.DueDate >= vd); }
        if (filter.VenceHasta is { } vh) { query = query.Where(d => d.DueDate <= vh); }
        if (filter.SoloVencidos) { query = query.Where(d => d.DueDate < today); }
        return query;
    }

    public async Task<OwedTotals> TotalsAsync(OwedDocumentsFilter filter, DateOnly today, CancellationToken ct)
    {
        var d30 = today.AddDays(-30);
        var d60 = today.AddDays(-60);
        var d90 = today.AddDays(-90);
        var totals = await Filtered(filter, today)
            .GroupBy(_ => 1)
            .Select(g => new OwedTotals(
                g.Count(),
                g.Sum(d => d.Balance),
                g.Sum(d => d.DueDate < today ? d.Balance : 0),
                g.Sum(d => d.DueDate >= today ? d.Balance : 0),
                g.Sum(d => d.DueDate < today && d.DueDate >= d30 ? d.Balance : 0),
                g.Sum(d => d.DueDate < d30 && d.DueDate >= d60 ? d.Balance : 0),
                g.Sum(d => d.DueDate < d60 && d.DueDate >= d90 ? d.Balance : 0),
                g.Sum(d => d.DueDate < d90 ? d.Balance : 0)))
            .SingleOrDefaultAsync(ct);
        return totals ?? new OwedTotals(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /// <summary>Rows ordered by (vencimiento, id), starting after <paramref name="after"/> (keyset, no OFFSET).</summary>
    public IQueryable<OwedRow> Rows(OwedDocumentsFilter filter, DateOnly today, OwedCursor? after = null)
    {
        var query = Filtered(filter, today);
        if (after is { } cursor)
        {
            query = query.Where(d => d.DueDate > cursor.DueDate || (d.DueDate == cursor.DueDate && d.Id > cursor.Id));
        }
        return query.OrderBy(d => d.DueDate).ThenBy(d => d.Id)
            .Select(d => new OwedRow(d.Id, d.Type, d.Folio, d.CustomerId!.Value, d.Customer!.Name, d.Customer.Rut, d.IssueDate, d.DueDate, d.Total, d.Balance,
                d.CededToRut, d.CededToName, d.Claim));
    }

    public static readonly string[] ExportHeaders = ["Tipo", "Folio", "Cliente", "RUT", "Emisión", "Vencimiento", "Días vencido", "Total", "Saldo"];

    /// <summary>One export line; amounts stay plain integers.</summary>
    public static object?[] ExportRow(OwedRow r, DateOnly today) =>
    [
        r.Type.Name(), r.Folio, r.CustomerName, Rut.Format(r.CustomerRut), r.IssueDate, r.DueDate,
        r.DaysOverdue(today), r.Total, r.Balance,
    ];

    public IAsyncEnumerable<object?[]> ExportRows(OwedDocumentsFilter filter, DateOnly today) =>
        Rows(filter, today).AsAsyncEnumerable().Select(r => ExportRow(r, today));

    public Task<List<OwedRow>> PageAsync(OwedDocumentsFilter filter, DateOnly today, OwedCursor? after, CancellationToken ct) =>
        Rows(filter, today, after).Take(PageSize + 1).ToListAsync(ct);

    public Task<List<OwedCustomerRow>> ByCustomerAsync(OwedDocumentsFilter filter, DateOnly today, int take, CancellationToken ct) =>
        Filtered(filter, today)
            .GroupBy(d => d.CustomerId)
            .Select(g => new
            {
                CustomerId = g.Key!.Value,
                Documents = g.Count(),
                Debt = g.Sum(d => d.Balance),
                Overdue = g.Sum(d => d.DueDate < today ? d.Balance : 0),
                OldestDue = g.Min(d => d.DueDate),
            })
            .OrderByDescending(x => x.Debt).ThenBy(x => x.CustomerId)
            .Take(take)
            .Join(db.Customers, x => x.CustomerId, c => c.Id,
                (x, c) => new OwedCustomerRow(x.CustomerId, c.Name, c.Rut, x.Documents, x.Debt, x.Overdue, x.OldestDue))
            .ToListAsync(ct);
}

/// <summary>Where the next page starts: the last row's (vencimiento, id), written "2026-11-28_1234" in the URL.</summary>
public readonly record struct OwedCursor(DateOnly DueDate, long Id)
{
    public override string ToString() => $"{DueDate:yyyy-MM-dd}_{Id}";

    public static OwedCursor? Parse(string? value)
    {
        var parts = value?.Split('_');
        return parts is [var date, var id]
            && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due)
            && long.TryParse(id, out var parsedId)
            ? new OwedCursor(due, parsedId)
            : null;
    }
}
