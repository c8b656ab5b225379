using Abono.Web.Data;
using Abono.Web.Features.Documents.Dte;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents.Import;

/// <summary>
/// Records the cesiones of an AEC file on the ceded document: one DocumentCession per SeqCesion (idempotent by the
/// unique (DocumentId, Sequence), so importing the AEC again, or a later AEC that repeats the earlier cesiones,
/// records each once), then the highest standing sequence names the current owner on the document (CededTo*).
/// Kept to this one class so it can later hand over to the cesiones service.
/// </summary>
public sealed class AecImport(AbonoDbContext db, DocumentCessions cessions, TimeProvider clock)
{
    /// <summary>Each cesión goes through <see cref="DocumentCessions.RecordAsync"/>, the one place that records a cesión and names the owner.</summary>
    public async Task<List<string>> RecordAsync(long documentId, DteAec aec, string fileName, string? recordedBy, CancellationToken ct = default)
    {
        var messages = new List<string>();
        var label = aec.CededDocument.Label;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var cesion in aec.Cesiones.OrderBy(c => c.SeqCesion))
        {
            if (cesion.HasErrors || cesion.SeqCesion is not int seq || cesion.Cesionario.Rut is not Rut cessionary)
            {
                messages.AddRange(cesion.Issues.Where(i => i.IsError).Select(i => i.Message).DefaultIfEmpty($"{label}: una cesión del AEC no se pudo leer y no se registró."));
                continue;
            }
            // A cesión tells payers to pay someone else: only one whose signature proves it was not forged or altered.
            if (cesion.Signature.State != Dte.DteSignatureState.Valid)
            {
                messages.Add($"{label}: la cesión N° {seq} no se registró: su firma no es válida ({cesion.Signature.Message}). Regístrala a mano si corresponde.");
                continue;
            }
            // TmstCesion is Chilean local time, as the SII writes every timestamp.
            var cededAt = cesion.TmstCesion is DateTime local
                ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChileFormats.TimeZone)
                : now;
            var result = await cessions.RecordAsync(db, documentId, seq, cessionary.Normalized, Cut(cesion.Cesionario.RazonSocial ?? cessionary.Formatted, 100),
                cededAt > now ? now : cededAt, cesion.MontoCesion, CessionSource.Aec, Cut($"AEC {fileName}", 300), recordedBy is null ? null : Cut(recordedBy, 256), ct);
            db.ChangeTracker.Clear();
            messages.Add(result.Outcome switch
            {
                CessionOutcome.Recorded => $"{label}: se registró la cesión N° {seq} a {cesion.Cesionario.Display}.",
                CessionOutcome.Unchanged => $"{label}: la cesión N° {seq} a {cesion.Cesionario.Display} ya estaba registrada.",
                _ => $"{label}: la cesión N° {seq} no se registró: {result.Message}",
            });
        }

        var document = await db.Documents.AsNoTracking().Where(d => d.Id == documentId).Select(d => new { d.CededToRut, d.CededToName }).SingleOrDefaultAsync(ct);
        if (document?.CededToRut is { } rut)
        {
            messages.Add($"{label} queda cedida a {document.CededToName} ({Rut.Format(rut)}): se le paga directamente a ellos.");
        }
        return messages;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
