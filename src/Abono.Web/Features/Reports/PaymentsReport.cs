using Abono.Web.Features.Documents;
using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Customers;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Reports;

public sealed class PaymentsFilter
{
    public DateOnly? Desde { get; set; }
    public DateOnly? Hasta { get; set; }
    public int? Medio { get; set; }
    public string? Cliente { get; set; }
    public int? Estado { get; set; }

    public static readonly DateOnly Earliest = new(2000, 1, 1);
    public static readonly DateOnly Latest = new(2099, 12, 31);

    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        // Past these the filter means nothing, and the end of the calendar (9999-12-31) has no next day to count up to.
        foreach (var (field, date) in new[] { (nameof(Desde), Desde), (nameof(Hasta), Hasta) })
        {
            if (date is { } d && (d < Earliest || d > Latest))
            {
                errors.Add(field, $"La fecha «{field.ToLowerInvariant()}» debe estar entre el {ChileFormats.Date(Earliest)} y el {ChileFormats.Date(Latest)}.");
            }
        }
        if (Desde > Hasta)
        {
            errors.Add(nameof(Hasta), "La fecha «hasta» es anterior a «desde».");
        }
        if (Medio is { } m && !Enum.IsDefined(typeof(GatewayKind), m))
        {
            errors.Add(nameof(Medio), "Ese medio de pago no existe.");
        }
        if (Estado is { } e && !Enum.IsDefined(typeof(PaymentStatus), e))
        {
            errors.Add(nameof(Estado), "Ese estado no existe.");
        }
        if (Cliente?.Length > 100)
        {
            errors.Add(nameof(Cliente), "Escribe como máximo 100 caracteres.");
        }
        return errors;
    }
}

public sealed record PaymentRow(long Id, DateTime PaidAt, long CustomerId, string CustomerName, string CustomerRut, GatewayKind Method,
    long Amount, long CreditAmount, PaymentStatus Status, string? GatewayReference, int Documents);

public sealed record PaymentTotals(int Count, long Amount, long Credit);

/// <summary>Reportes → Pagos: every recorded payment, newest first, keyset-paged, totals in the database.</summary>
public sealed class PaymentsReport(AbonoDbContext db)
{
    public const int PageSize = 50;

    public IQueryable<Payment> Filtered(PaymentsFilter filter)
    {
        var query = db.Payments.AsNoTracking();
        // Dates are Chilean calendar days; PaidAt is UTC.
        if (filter.Desde is { } from)
        {
            var start = ChileStartOfDayUtc(from);
            query = query.Where(p => p.PaidAt >= start);
        }
        if (filter.Hasta is { } to)
        {
            var end = ChileStartOfDayUtc(to.AddDays(1));
            query = query.Where(p => p.PaidAt < end);
        }
        if (filter.Medio is { } medio && Enum.IsDefined(typeof(GatewayKind), medio))
        {
            var kind = (GatewayKind)medio;
            query = query.Where(p => p.Method == kind);
        }
        if (filter.Estado is { } estado && Enum.IsDefined(typeof(PaymentStatus), estado))
        {
            var status = (PaymentStatus)estado;
            query = query.Where(p => p.Status == status);
        }
        var term = filter.Cliente?.Trim();
        if (!string.IsNullOrEmpty(term))
        {
            var customers = CustomerSearch.MatchingIds(db, term);
            query = query.Where(p => customers.Contains(p.CustomerId));
        }
        return query;
    }

    public async Task<PaymentTotals> TotalsAsync(PaymentsFilter filter, CancellationToken ct) =>
        await Filtered(filter).GroupBy(_ => 1)
            .Select(g => new PaymentTotals(g.Count(), g.Sum(p => p.Amount), g.Sum(p => p.CreditAmount)))
            .SingleOrDefaultAsync(ct) ?? new PaymentTotals(0, 0, 0);

    public IQueryable<PaymentRow> Rows(PaymentsFilter filter, PaymentCursor? after = null)
    {
        var query = Filtered(filter);
        if (after is { } cursor)
        {
            query = query.Where(p => p.PaidAt < cursor.PaidAt || (p.PaidAt == cursor.PaidAt && p.Id < cursor.Id));
        }
        return query.OrderByDescending(p => p.PaidAt).ThenByDescending(p => p.Id)
            .Join(db.Customers, p => p.CustomerId, c => c.Id, (p, c) => new PaymentRow(p.Id, p.PaidAt, p.CustomerId, c.Name, c.Rut, p.Method,
                p.Amount, p.CreditAmount, p.Status, p.GatewayReference, db.PaymentAllocations.Count(a => a.PaymentId == p.Id)));
    }

    /// <summary>
    /// Every row of the filter with the documents each payment paid ("Factura 12, Boleta 40"), read in pages of 500 so
    /// the export streams and the folios come from one query per page on both databases.
    /// </summary>
    public async IAsyncEnumerable<(PaymentRow Row, string Folios)> ExportRows(PaymentsFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int pageSize = 500;
        PaymentCursor? after = null;
        while (true)
        {
            var page = await Rows(filter, after).Take(pageSize).ToListAsync(ct);
            if (page.Count == 0)
            {
                yield break;
            }
            var ids = page.Select(p => p.Id).ToList();
            var paid = await (from a in db.PaymentAllocations
                              join d in db.Documents on a.DocumentId equals d.Id
                              where ids.Contains(a.PaymentId)
                              orderby d.Folio
                              select new { a.PaymentId, d.Type, d.Folio }).ToListAsync(ct);
            var folios = paid.GroupBy(x => x.PaymentId).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(x => $"{x.Type.ShortName()} {x.Folio}")));
            foreach (var row in page)
            {
                yield return (row, folios.GetValueOrDefault(row.Id, ""));
            }
            if (page.Count < pageSize)
            {
                yield break;
            }
            after = new PaymentCursor(page[^1].PaidAt, page[^1].Id);
        }
    }

    public Task<List<PaymentRow>> PageAsync(PaymentsFilter filter, PaymentCursor? after, CancellationToken ct) =>
        Rows(filter, after).Take(PageSize + 1).ToListAsync(ct);

    /// <summary>Chile's midnight in UTC; on a spring-forward day (no 00:00) the day starts when the clock does.</summary>
    public static DateTime ChileStartOfDayUtc(DateOnly day) => Customers.StatementPeriod.ChileStartOfDayUtc(day);
}

public readonly record struct PaymentCursor(DateTime PaidAt, long Id)
{
    public override string ToString() => $"{PaidAt.Ticks}_{Id}";

    public static PaymentCursor? Parse(string? value)
    {
        var parts = value?.Split('_');
        return parts is [var ticks, var id] && long.TryParse(ticks, out var t) && t > 0 && t < DateTime.MaxValue.Ticks && long.TryParse(id, out var i)
            ? new PaymentCursor(new DateTime(t, DateTimeKind.Utc), i)
            : null;
    }
}
