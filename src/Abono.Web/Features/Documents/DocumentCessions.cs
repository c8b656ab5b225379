using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

public enum CessionOutcome
{
    /// <summary>A new cesión was written (the document's owner may have changed).</summary>
    Recorded = 1,

    /// <summary>That sequence was already recorded for this cessionary: nothing changed (an AEC imported again).</summary>
    Unchanged = 2,

    /// <summary>The standing cesión was undone.</summary>
    Reverted = 3,
    NotFound = 4,

    /// <summary>See <see cref="CessionResult.Errors"/> (keys: CessionaryRut, CessionaryName, CededAt, Amount, Note, Type, Sequence).</summary>
    Invalid = 5,
}

public sealed record CessionResult(CessionOutcome Outcome, FieldErrors Errors, DocumentCession? Cession = null)
{
    public bool Succeeded => Outcome is CessionOutcome.Recorded or CessionOutcome.Unchanged or CessionOutcome.Reverted;

    /// <summary>The first error, for callers that report one line per document (the DTE importer, the API title).</summary>
    public string? Message => Errors.All.Values.SelectMany(v => v).FirstOrDefault();

    internal static CessionResult Invalid(string field, string message) => new(CessionOutcome.Invalid, new FieldErrors().Add(field, message));
}

/// <summary>
/// Cesiones of facturas to factoring companies (RPETC): recorded from an AEC (SeqCesion), by hand or through the API,
/// and undone with a note. Recording is idempotent by (document, sequence) so an AEC imported twice — or a later AEC
/// repeating the earlier cesiones — changes nothing; the highest sequence still standing names the owner, copied to
/// <see cref="Document.CededToRut"/> / <see cref="Document.CededToName"/> / <see cref="Document.CededAt"/>, which is
/// what every collection query reads (<see cref="DocumentCollection"/>).
/// </summary>
/// <remarks>
/// Each call takes the document's row lock first (a no-op update, the first statement of its transaction, like the
/// folio counters): concurrent recordings of one document queue there, so each one reads the cesiones the others
/// committed and the owner it writes is the right one. When the caller already holds a transaction (the importer)
/// the work joins it; otherwise the call has its own. It calls SaveChanges, which also saves the caller's pending changes.
/// </remarks>
public sealed class DocumentCessions(TimeProvider clock)
{
    public const int MaxNote = 300;
    public const int MaxName = 100;

    /// <summary>Only facturas (33, 34) are transferable credits under Ley 19.983.</summary>
    public static bool IsCedible(DocumentType type) => type is DocumentType.Factura or DocumentType.FacturaExenta;

    /// <param name="sequence">SeqCesion from the AEC; null (by hand, API) takes the next one.</param>
    /// <param name="cededAt">When it was ceded (TmstCesion); an unspecified kind is read as UTC.</param>
    /// <param name="amount">MontoCesion, when stated (at most the factura's total).</param>
    /// <param name="by">Who recorded it (the user's email, "API: key name", "AEC: file name").</param>
    public async Task<CessionResult> RecordAsync(AbonoDbContext db, long documentId, int? sequence, string cessionaryRut, string cessionaryName,
        DateTime cededAt, long? amount, CessionSource source, string? note, string? by, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var rutError = Rut.Validate(cessionaryRut);
        if (rutError is not null)
        {
            errors.Add("CessionaryRut", rutError);
        }
        var name = Rules.Clean(cessionaryName);
        if (name is null)
        {
            errors.Add("CessionaryName", "Ingresa la razón social del cesionario.");
        }
        else if (name.Length > MaxName)
        {
            errors.Add("CessionaryName", $"Escribe como máximo {MaxName} caracteres.");
        }
        errors.RefuseControlCharacters("CessionaryName", name);
        note = Rules.Clean(note);
        if (note?.Length > MaxNote)
        {
            errors.Add("Note", $"Escribe como máximo {MaxNote} caracteres.");
        }
        errors.RefuseControlCharacters("Note", note);
        if (sequence is < 1)
        {
            errors.Add("Sequence", "La secuencia de la cesión parte en 1.");
        }
        var cededUtc = ToUtc(cededAt);
        if (DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(cededUtc, ChileFormats.TimeZone)) > ChileFormats.Today(clock))
        {
            errors.Add("CededAt", "La fecha de la cesión no puede ser posterior a hoy.");
        }
        if (amount is <= 0)
        {
            errors.Add("Amount", "El monto cedido debe ser mayor que cero.");
        }
        if (errors.Any)
        {
            return new CessionResult(CessionOutcome.Invalid, errors);
        }
        var rut = Rut.Parse(cessionaryRut).Normalized;

        return await InDocumentLockAsync(db, documentId, async document =>
        {
            if (!IsCedible(document.Type))
            {
                return CessionResult.Invalid("Type", "Solo las facturas (tipo 33 y 34) se pueden ceder.");
            }
            if (amount > document.Total)
            {
                return CessionResult.Invalid("Amount", $"El monto cedido no puede superar el total de la factura ({ChileFormats.Clp(document.Total)}).");
            }
            var existing = await db.DocumentCessions.AsNoTracking().Where(c => c.DocumentId == documentId).ToListAsync(ct);
            if (sequence is { } seq && existing.FirstOrDefault(c => c.Sequence == seq) is { } same)
            {
                // Already recorded: an AEC seen again says nothing new. Another cessionary under the same sequence is
                // a contradiction to report, never to overwrite.
                return same.CessionaryRut == rut
                    ? new CessionResult(CessionOutcome.Unchanged, new FieldErrors(), same)
                    : CessionResult.Invalid("Sequence", $"La cesión N° {seq} de {document.DisplayName} ya está registrada a favor de {same.CessionaryName} ({Rut.Format(same.CessionaryRut)}).");
            }
            var cession = new DocumentCession
            {
                DocumentId = documentId,
                Sequence = sequence ?? (existing.Count == 0 ? 1 : existing.Max(c => c.Sequence) + 1),
                CessionaryRut = rut,
                CessionaryName = name!,
                CededAt = cededUtc,
                Amount = amount,
                Source = source,
                Note = note,
                RecordedAt = clock.GetUtcNow().UtcDateTime,
                RecordedBy = Truncate(by, 256),
            };
            db.DocumentCessions.Add(cession);
            await db.SaveChangesAsync(ct);
            await CopyOwnerAsync(db, documentId, ct);
            return new CessionResult(CessionOutcome.Recorded, new FieldErrors(), cession);
        }, ct);
    }

    /// <summary>
    /// Undoes the standing cesión with the highest sequence (the factura came back, or it was recorded by mistake).
    /// An earlier cesión still standing names the owner again; with none, the business collects it again.
    /// </summary>
    public async Task<CessionResult> RevertAsync(AbonoDbContext db, long documentId, string? note, string? by, CancellationToken ct)
    {
        note = Rules.Clean(note);
        var errors = new FieldErrors();
        if (note is null)
        {
            errors.Add("Note", "Escribe una nota que explique por qué se deshace la cesión.");
        }
        else if (note.Length > MaxNote)
        {
            errors.Add("Note", $"Escribe como máximo {MaxNote} caracteres.");
        }
        errors.RefuseControlCharacters("Note", note);
        if (errors.Any)
        {
            return new CessionResult(CessionOutcome.Invalid, errors);
        }
        return await InDocumentLockAsync(db, documentId, async document =>
        {
            var standing = await db.DocumentCessions.Where(c => c.DocumentId == documentId && c.RevertedAt == null)
                .OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
            if (standing is null)
            {
                return CessionResult.Invalid("", $"{document.DisplayName} no está cedida.");
            }
            standing.RevertedAt = clock.GetUtcNow().UtcDateTime;
            standing.RevertNote = by is null ? note : Truncate($"{note} ({by})", MaxNote);
            await db.SaveChangesAsync(ct);
            await CopyOwnerAsync(db, documentId, ct);
            return new CessionResult(CessionOutcome.Reverted, new FieldErrors(), standing);
        }, ct);
    }

    /// <summary>The document's cesiones, newest sequence first (undone ones included).</summary>
    public static Task<List<DocumentCession>> HistoryAsync(AbonoDbContext db, long documentId, CancellationToken ct) =>
        db.DocumentCessions.AsNoTracking().Where(c => c.DocumentId == documentId).OrderByDescending(c => c.Sequence).ToListAsync(ct);

    /// <summary>A date typed in a form (Chilean calendar) as the instant stored: noon, which exists on every Chilean day (DST moves midnight).</summary>
    public static DateTime FromChileDate(DateOnly date) =>
        TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(new TimeOnly(12, 0)), ChileFormats.TimeZone);

    public static DateOnly ChileDate(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), ChileFormats.TimeZone));

    private static async Task<CessionResult> InDocumentLockAsync(AbonoDbContext db, long documentId, Func<Document, Task<CessionResult>> work, CancellationToken ct)
    {
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            // The row lock (see the class remarks); the tenant filter makes another company's id "not found".
            if (await db.Documents.Where(d => d.Id == documentId).ExecuteUpdateAsync(s => s.SetProperty(d => d.CededAt, d => d.CededAt), ct) == 0)
            {
                return new CessionResult(CessionOutcome.NotFound, new FieldErrors().Add("", "El documento no existe."));
            }
            var document = await db.Documents.AsNoTracking().SingleAsync(d => d.Id == documentId, ct);
            var result = await work(document);
            if (own is not null)
            {
                await own.CommitAsync(ct);
            }
            return result;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>The highest standing sequence is the owner; none standing clears the document's cesión.</summary>
    private static async Task CopyOwnerAsync(AbonoDbContext db, long documentId, CancellationToken ct)
    {
        var owner = await db.DocumentCessions.AsNoTracking().Where(c => c.DocumentId == documentId && c.RevertedAt == null)
            .OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
        await db.Documents.Where(d => d.Id == documentId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.CededToRut, owner == null ? null : owner.CessionaryRut)
            .SetProperty(d => d.CededToName, owner == null ? null : owner.CessionaryName)
            .SetProperty(d => d.CededAt, owner == null ? null : owner.CededAt), ct);
        // A caller that tracks the document sees the new owner too.
        if (db.ChangeTracker.Entries<Document>().FirstOrDefault(e => e.Entity.Id == documentId) is { } tracked)
        {
            await tracked.ReloadAsync(ct);
        }
    }

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
