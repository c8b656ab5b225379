using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents;

public enum ClaimOutcome
{
    Marked = 1,
    Unchanged = 2,
    Resolved = 3,
    NotFound = 4,
    Invalid = 5,
}

public sealed record ClaimResult(ClaimOutcome Outcome, FieldErrors Errors)
{
    public bool Succeeded => Outcome is ClaimOutcome.Marked or ClaimOutcome.Unchanged or ClaimOutcome.Resolved;
    public string? Message => Errors.All.Values.SelectMany(v => v).FirstOrDefault();

    internal static ClaimResult Invalid(string field, string message) => new(ClaimOutcome.Invalid, new FieldErrors().Add(field, message));
}

/// <summary>
/// The buyer's claim against a factura (Ley 19.983): while it stands the factura is not chased as a normal debt —
/// excluded from collection like a ceded one (<see cref="DocumentCollection"/>) — until the business resolves it
/// (a nota de crédito, or unmarking it here). Also the 8-day acceptance window, for the business's eyes only.
/// </summary>
public sealed class DocumentClaims(TimeProvider clock)
{
    public const int MaxNote = 300;

    /// <summary>Days the buyer has to claim a factura after receiving it (Ley 19.983, art. 3); after that it is accepted tacitly.</summary>
    public const int WindowDays = 8;

    public static string Name(DocumentClaim claim) => claim switch
    {
        DocumentClaim.Contenido => "Reclamo al contenido del documento",
        DocumentClaim.FaltaParcial => "Falta parcial de mercaderías",
        DocumentClaim.FaltaTotal => "Falta total de mercaderías",
        _ => claim.ToString(),
    };

    /// <summary>
    /// Still within the window: issued (Abono knows no later reception date) less than 8 days ago, and not claimed.
    /// Only facturas are claimed this way.
    /// </summary>
    public static bool WithinWindow(DocumentType type, DateOnly issueDate, DocumentClaim? claim, DateOnly today) =>
        DocumentCessions.IsCedible(type) && claim is null && today.DayNumber - issueDate.DayNumber is >= 0 and < WindowDays;

    public bool WithinWindow(Document document) => WithinWindow(document.Type, document.IssueDate, document.Claim, ChileFormats.Today(clock));

    public async Task<ClaimResult> MarkAsync(AbonoDbContext db, long documentId, DocumentClaim? reason, string? note, CancellationToken ct)
    {
        note = Rules.Clean(note);
        var errors = new FieldErrors();
        if (reason is not { } claim || !Enum.IsDefined(claim))
        {
            errors.Add("Reason", "Elige el motivo del reclamo.");
        }
        if (note?.Length > MaxNote)
        {
            errors.Add("Note", $"Escribe como máximo {MaxNote} caracteres.");
        }
        errors.RefuseControlCharacters("Note", note);
        if (errors.Any)
        {
            return new ClaimResult(ClaimOutcome.Invalid, errors);
        }
        var document = await db.Documents.AsNoTracking().Where(d => d.Id == documentId)
            .Select(d => new { d.Type, d.Claim, d.ClaimNote }).SingleOrDefaultAsync(ct);
        if (document is null)
        {
            return new ClaimResult(ClaimOutcome.NotFound, new FieldErrors().Add("", "El documento no existe."));
        }
        if (!DocumentCessions.IsCedible(document.Type))
        {
            return ClaimResult.Invalid("Type", "Solo las facturas (tipo 33 y 34) se pueden reclamar.");
        }
        if (document.Claim == reason && document.ClaimNote == note)
        {
            return new ClaimResult(ClaimOutcome.Unchanged, new FieldErrors());
        }
        // A changed reason or note keeps the date the claim first arrived.
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Documents.Where(d => d.Id == documentId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Claim, reason)
            .SetProperty(d => d.ClaimedAt, d => d.ClaimedAt ?? now)
            .SetProperty(d => d.ClaimNote, note), ct);
        return new ClaimResult(ClaimOutcome.Marked, new FieldErrors());
    }

    /// <summary>Quitar reclamo: the business resolved it; the factura is collectible again (unless ceded).</summary>
    public static async Task<ClaimResult> ResolveAsync(AbonoDbContext db, long documentId, CancellationToken ct)
    {
        var document = await db.Documents.AsNoTracking().Where(d => d.Id == documentId).Select(d => new { d.Claim }).SingleOrDefaultAsync(ct);
        if (document is null)
        {
            return new ClaimResult(ClaimOutcome.NotFound, new FieldErrors().Add("", "El documento no existe."));
        }
        if (document.Claim is null)
        {
            return new ClaimResult(ClaimOutcome.Unchanged, new FieldErrors());
        }
        await db.Documents.Where(d => d.Id == documentId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Claim, (DocumentClaim?)null)
            .SetProperty(d => d.ClaimedAt, (DateTime?)null)
            .SetProperty(d => d.ClaimNote, (string?)null), ct);
        return new ClaimResult(ClaimOutcome.Resolved, new FieldErrors());
    }
}
