using System.Globalization;
using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Documents;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Customers;

/// <summary>How late an open document is, in the tramos the business reads everywhere (reports, statements).</summary>
public enum AgingBucket
{
    Current = 0,
    Days1To30 = 1,
    Days31To60 = 2,
    Days61To90 = 3,
    Over90 = 4,
}

/// <summary>
/// Aging by due date on the Chilean calendar: a document due today is still al día; the day after it is 1 day late.
/// Same boundaries as the owed-documents report's SQL aggregate (OwedDocumentsReport.TotalsAsync).
/// </summary>
public static class Aging
{
    public static readonly AgingBucket[] Buckets = Enum.GetValues<AgingBucket>();

    public static int DaysOverdue(DateOnly dueDate, DateOnly today) => Math.Max(0, today.DayNumber - dueDate.DayNumber);

    public static AgingBucket Of(int daysOverdue) => daysOverdue switch
    {
        <= 0 => AgingBucket.Current,
        <= 30 => AgingBucket.Days1To30,
        <= 60 => AgingBucket.Days31To60,
        <= 90 => AgingBucket.Days61To90,
        _ => AgingBucket.Over90,
    };

    public static AgingBucket Of(DateOnly dueDate, DateOnly today) => Of(DaysOverdue(dueDate, today));

    public static string Label(this AgingBucket bucket) => bucket switch
    {
        AgingBucket.Current => "Al día",
        AgingBucket.Days1To30 => "1–30 días",
        AgingBucket.Days31To60 => "31–60 días",
        AgingBucket.Days61To90 => "61–90 días",
        AgingBucket.Over90 => "Más de 90 días",
        _ => bucket.ToString(),
    };

    /// <summary>One total per bucket, in bucket order, every bucket present (zero when empty).</summary>
    public static IReadOnlyList<AgingTotal> Totals(IEnumerable<(DateOnly DueDate, long Balance)> documents, DateOnly today)
    {
        var amounts = new long[Buckets.Length];
        var counts = new int[Buckets.Length];
        foreach (var (dueDate, balance) in documents)
        {
            var bucket = (int)Of(dueDate, today);
            amounts[bucket] += balance;
            counts[bucket]++;
        }
        return Buckets.Select(b => new AgingTotal(b, counts[(int)b], amounts[(int)b])).ToList();
    }
}

public sealed record AgingTotal(AgingBucket Bucket, int Documents, long Amount);

/// <summary>The days whose payments and notas de crédito a statement lists (Chilean calendar days, both ends included).</summary>
public sealed record StatementPeriod(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;
    private static readonly DateOnly Earliest = new(2000, 1, 1);
    private static readonly DateOnly Latest = new(2099, 12, 31);
    private static readonly string[] Formats = ["yyyy-MM-dd", ChileFormats.DateFormat];

    /// <summary>The current month up to today.</summary>
    public static StatementPeriod Default(DateOnly today) => new(new DateOnly(today.Year, today.Month, 1), today);

    /// <summary>
    /// Reads desde/hasta as the date inputs send them (yyyy-MM-dd; dd-MM-yyyy also accepted); a blank one takes the
    /// default's. Errors go under the field's own name; null when there is any.
    /// </summary>
    public static StatementPeriod? Parse(string? desde, string? hasta, DateOnly today, FieldErrors errors)
    {
        var fallback = Default(today);
        var from = ParseDate(desde, fallback.From, "desde", errors);
        var to = ParseDate(hasta, fallback.To, "hasta", errors);
        if (from is null || to is null)
        {
            return null;
        }
        if (from > to)
        {
            errors.Add("hasta", "La fecha «hasta» es anterior a «desde».");
            return null;
        }
        if (to.Value.DayNumber - from.Value.DayNumber + 1 > MaxDays)
        {
            errors.Add("hasta", $"El período puede abarcar como máximo {MaxDays} días.");
            return null;
        }
        return new StatementPeriod(from.Value, to.Value);
    }

    private static DateOnly? ParseDate(string? value, DateOnly fallback, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        // Never echo the value back: it is whatever someone typed into the URL.
        if (value.Length > 10 || !DateOnly.TryParseExact(value.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(field, $"La fecha «{field}» no es válida. Usa el formato día-mes-año, por ejemplo {ChileFormats.Date(new DateOnly(2026, 3, 31))}.");
            return null;
        }
        if (date < Earliest || date > Latest)
        {
            errors.Add(field, $"La fecha «{field}» debe estar entre el {ChileFormats.Date(Earliest)} y el {ChileFormats.Date(Latest)}.");
            return null;
        }
        return date;
    }

    /// <summary>The UTC instant a Chilean day starts. Chile moves its clocks at midnight, so 00:00 may not exist: then the day starts at the first minute that does.</summary>
    public static DateTime ChileStartOfDayUtc(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (ChileFormats.TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, ChileFormats.TimeZone);
    }

    public DateTime StartUtc => ChileStartOfDayUtc(From);
    public DateTime EndUtc => ChileStartOfDayUtc(To.AddDays(1));

    /// <summary>As the date inputs and the links carry it.</summary>
    public string FromValue => From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public string ToValue => To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string Label => $"{ChileFormats.Date(From)} al {ChileFormats.Date(To)}";
}

public sealed record StatementDocument(long Id, DocumentType Type, long Folio, DateOnly IssueDate, DateOnly DueDate, long Total, long Balance, int DaysOverdue)
{
    public AgingBucket Bucket => Aging.Of(DaysOverdue);
    public string DisplayName => $"{Type.ShortName()} N° {Folio}";
}

public sealed record StatementPayment(long Id, DateTime PaidAtUtc, GatewayKind Method, long Amount, long CreditAmount, long RefundedAmount, bool IsTest)
{
    public string Reference => ReceiptData.FormatReference(Id);
}

public sealed record StatementCreditNote(long Id, long Folio, DateOnly IssueDate, long Total, string? Reference, string? Reason);

/// <summary>
/// Estado de cuenta of one customer: every open document with its aging, the payments and notas de crédito of a
/// period, saldo a favor and total owed. The same data feeds the back office, the portal, the PDF and the email.
/// </summary>
public sealed record AccountStatement(
    long CustomerId, string CustomerName, string CustomerRut, string? CustomerEmail, DateOnly Today, StatementPeriod? Period,
    IReadOnlyList<StatementDocument> OpenDocuments, IReadOnlyList<AgingTotal> AgingTotals, long CreditBalance,
    IReadOnlyList<StatementPayment> Payments, IReadOnlyList<StatementCreditNote> CreditNotes)
{
    public long TotalOwed => AgingTotals.Sum(a => a.Amount);
    public long Overdue => AgingTotals.Where(a => a.Bucket != AgingBucket.Current).Sum(a => a.Amount);
    public long PaymentsTotal => Payments.Sum(p => p.Amount);
    public long CreditNotesTotal => CreditNotes.Sum(n => n.Total);

    /// <summary>
    /// Loads the statement of a customer of the current tenant (the global query filter applies: another company's
    /// customer is not found and the answer is null). Without a period (it did not validate) only the open documents load.
    /// </summary>
    public static async Task<AccountStatement?> LoadAsync(AbonoDbContext db, long customerId, DateOnly today, StatementPeriod? period, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { c.Id, c.Name, c.Rut, c.Email }).SingleOrDefaultAsync(ct);
        if (customer is null)
        {
            return null;
        }

        // Open documents as the portal lists them: a nota de crédito never carries a balance to pay, and a ceded or
        // claimed factura is not owed to the business (DocumentCollection).
        var open = await db.Documents.AsNoTracking()
            .Where(d => d.CustomerId == customerId && d.Balance > 0 && d.Type != DocumentType.NotaCredito)
            .Where(DocumentCollection.Collectible)
            .OrderBy(d => d.DueDate).ThenBy(d => d.Id)
            .Select(d => new { d.Id, d.Type, d.Folio, d.IssueDate, d.DueDate, d.Total, d.Balance })
            .ToListAsync(ct);
        var documents = open.Select(d => new StatementDocument(d.Id, d.Type, d.Folio, d.IssueDate, d.DueDate, d.Total, d.Balance, Aging.DaysOverdue(d.DueDate, today))).ToList();

        // Saldo a favor is what payments kept without a balance to pay, less what was refunded from it (Refunds takes refunds off it first).
        var credit = await db.Payments.Where(p => p.CustomerId == customerId)
            .SumAsync(p => p.CreditAmount, ct);

        // Every row is listed (no paging): a period is at most a year of one customer, and a statement is read whole.
        List<StatementPayment> payments = [];
        List<StatementCreditNote> notes = [];
        if (period is not null)
        {
            var start = period.StartUtc;
            var end = period.EndUtc;
            payments = await db.Payments.AsNoTracking()
                .Where(p => p.CustomerId == customerId && p.PaidAt >= start && p.PaidAt < end)
                .OrderBy(p => p.PaidAt).ThenBy(p => p.Id)
                .Select(p => new StatementPayment(p.Id, p.PaidAt, p.Method, p.Amount, p.CreditAmount, p.RefundedAmount, p.IsTest))
                .ToListAsync(ct);
            var rows = await db.Documents.AsNoTracking()
                .Where(d => d.CustomerId == customerId && d.Type == DocumentType.NotaCredito && d.IssueDate >= period.From && d.IssueDate <= period.To)
                .OrderBy(d => d.IssueDate).ThenBy(d => d.Folio)
                .Select(d => new
                {
                    d.Id, d.Folio, d.IssueDate, d.Total, d.ReferenceReason,
                    ReferenceType = d.ReferenceDocument == null ? (DocumentType?)null : d.ReferenceDocument.Type,
                    ReferenceFolio = d.ReferenceDocument == null ? (long?)null : d.ReferenceDocument.Folio,
                })
                .ToListAsync(ct);
            notes = rows.Select(n => new StatementCreditNote(n.Id, n.Folio, n.IssueDate, n.Total,
                n.ReferenceType is { } t ? $"{t.ShortName()} N° {n.ReferenceFolio}" : null, n.ReferenceReason)).ToList();
        }

        return new AccountStatement(customer.Id, customer.Name, customer.Rut, customer.Email, today, period,
            documents, Aging.Totals(documents.Select(d => (d.DueDate, d.Balance)), today), credit, payments, notes);
    }
}

/// <summary>What the shared statement partial needs: the statement, who reads it, and the period as typed (to show it back with its error).</summary>
public sealed record AccountStatementView(AccountStatement Statement, bool ForPayer, string? Desde, string? Hasta, string PdfUrl);
