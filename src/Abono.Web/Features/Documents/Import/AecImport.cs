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
public sealed class AecImport(AbonoDbContext db, TimeProvider clock)
{
    public async Task<List<string>> RecordAsync(long documentId, DteAec aec, string fileName, string? recordedBy, CancellationToken ct = default)
    {
        var messages = new List<string>();
        var label = aec.CededDocument.Label;
        var now = clock.GetUtcNow().UtcDateTime;
        var known = (await db.DocumentCessions.AsNoTracking().Where(c => c.DocumentId == documentId).Select(c => c.Sequence).ToListAsync(ct)).ToHashSet();
        foreach (var cesion in aec.Cesiones.OrderBy(c => c.SeqCesion))
        {
            if (cesion.HasErrors || cesion.SeqCesion is not int seq || cesion.Cesionario.Rut is not Rut cessionary)
            {
                messages.AddRange(cesion.Issues.Where(i => i.IsError).Select(i => i.Message).DefaultIfEmpty($"{label}: una cesión del AEC no se pudo leer y no se registró."));
                continue;
            }
            if (known.Contains(seq))
            {
                messages.Add($"{label}: la cesión N° {seq} a {cesion.Cesionario.Display} ya estaba registrada.");
                continue;
            }
            db.DocumentCessions.Add(new DocumentCession
            {
                DocumentId = documentId,
                Sequence = seq,
                CessionaryRut = cessionary.Normalized,
                CessionaryName = Cut(cesion.Cesionario.RazonSocial ?? cessionary.Formatted, 100),
                // TmstCesion is Chilean local time, as the SII writes every timestamp.
                CededAt = cesion.TmstCesion is DateTime local
                    ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChileFormats.TimeZone)
                    : now,
                Amount = cesion.MontoCesion,
                Source = CessionSource.Aec,
                Note = Cut($"AEC {fileName}", 300),
                RecordedAt = now,
                RecordedBy = recordedBy is null ? null : Cut(recordedBy, 256),
            });
            try
            {
                await db.SaveChangesAsync(ct);
                messages.Add($"{label}: se registró la cesión N° {seq} a {cesion.Cesionario.Display}.");
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                messages.Add($"{label}: la cesión N° {seq} a {cesion.Cesionario.Display} ya estaba registrada.");
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
            known.Add(seq);
        }

        var current = await db.DocumentCessions.AsNoTracking().Where(c => c.DocumentId == documentId && c.RevertedAt == null)
            .OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
        if (current is not null)
        {
            await db.Documents.Where(d => d.Id == documentId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.CededToRut, current.CessionaryRut).SetProperty(d => d.CededToName, current.CessionaryName)
                    .SetProperty(d => d.CededAt, current.CededAt), ct);
            messages.Add($"{label} queda cedida a {current.CessionaryName} ({Rut.Format(current.CessionaryRut)}): se le paga directamente a ellos.");
        }
        return messages;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
