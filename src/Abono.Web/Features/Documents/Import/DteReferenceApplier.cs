using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents.Import;

/// <summary>What applying notas did, keyed by document id (the nota and the document it references alike).</summary>
public sealed class DteReferenceOutcome
{
    public Dictionary<long, List<string>> Messages { get; } = [];
    public Dictionary<long, long> UnappliedCredit { get; } = [];

    internal void Say(long documentId, string message)
    {
        if (!Messages.TryGetValue(documentId, out var list))
        {
            Messages[documentId] = list = [];
        }
        list.Add(message);
    }
}

/// <summary>
/// Applies imported notas de crédito (61) and débito (56) to the document their Referencia names, exactly once and
/// in either order of arrival: a nota whose document is not in Abono stays *pendiente de referencia* and is applied
/// when that document is imported. CodRef 1 (anula) and 3 (corrige montos) move the balance by the nota's total —
/// a 61 down (never below zero: the excess is the nota's <see cref="Document.UnappliedCredit"/>, saldo a favor of
/// the customer), a 56 up; CodRef 2 (corrige texto) moves nothing. One reference per nota moves money.
/// </summary>
public sealed class DteReferenceApplier(AbonoDbContext db, TimeProvider clock)
{
    /// <summary>The referenced types that are documents Abono may hold; others (801 orden de compra, SET…) are informative.</summary>
    private static readonly int[] DocumentCodes = [33, 34, 39, 41, 56, 61];

    /// <summary>
    /// Applies every pending reference carried by, or pointing at, one of <paramref name="documentIds"/>. Safe to call
    /// again and concurrently: each application is claimed by a guarded update first. Must not run inside a transaction.
    /// </summary>
    public async Task<DteReferenceOutcome> ApplyPendingAsync(IReadOnlyCollection<long> documentIds, CancellationToken ct = default)
    {
        var outcome = new DteReferenceOutcome();
        if (documentIds.Count == 0)
        {
            return outcome;
        }
        var ids = documentIds.Distinct().ToList();
        var involved = await db.Documents.AsNoTracking().Where(d => ids.Contains(d.Id))
            .Select(d => new { d.Id, d.Type, d.Folio }).ToListAsync(ct);
        var noteIds = involved.Where(d => d.Type.IsNote()).Select(d => d.Id).ToList();
        var targetFolios = involved.Select(d => d.Folio).Distinct().ToList();
        var targetKeys = involved.Select(d => ((int)d.Type, d.Folio)).ToHashSet();

        var pending = (await (from r in db.DocumentReferences.AsNoTracking()
                              join n in db.Documents on r.DocumentId equals n.Id
                              where r.ReferencedDocumentId == null && DocumentCodes.Contains(r.ReferencedType)
                                    && (n.Type == DocumentType.NotaCredito || n.Type == DocumentType.NotaDebito)
                                    && (noteIds.Contains(r.DocumentId) || targetFolios.Contains(r.ReferencedFolio))
                              orderby r.DocumentId, r.LineNumber
                              select new { r.Id, r.DocumentId, r.ReferencedType, r.ReferencedFolio, r.CodRef, r.Reason, NoteType = n.Type, NoteFolio = n.Folio, n.Total, n.CustomerId })
                .ToListAsync(ct))
            .Where(r => noteIds.Contains(r.DocumentId) || targetKeys.Contains((r.ReferencedType, r.ReferencedFolio)))
            .ToList();
        if (pending.Count == 0)
        {
            return outcome;
        }
        var targets = new Dictionary<(int, long), long>();
        var targetCustomers = new Dictionary<long, long?>();
        foreach (var group in pending.Where(p => DocumentTypes.IsDefined(p.ReferencedType)).GroupBy(p => (DocumentType)p.ReferencedType))
        {
            var type = group.Key;
            var folios = group.Select(p => p.ReferencedFolio).Distinct().ToList();
            foreach (var d in await db.Documents.AsNoTracking().Where(d => d.Type == type && folios.Contains(d.Folio)).Select(d => new { d.Id, d.Folio, d.CustomerId }).ToListAsync(ct))
            {
                targets[((int)type, d.Folio)] = d.Id;
                targetCustomers[d.Id] = d.CustomerId;
            }
        }
        foreach (var r in pending)
        {
            var noteLabel = $"{r.NoteType.ShortName()} {r.NoteFolio}";
            var targetLabel = Label(r.ReferencedType, r.ReferencedFolio);
            if (!targets.TryGetValue((r.ReferencedType, r.ReferencedFolio), out var targetId))
            {
                outcome.Say(r.DocumentId, $"Pendiente de referencia: {targetLabel} aún no está en Abono; la nota se aplicará cuando la importes.");
                continue;
            }
            // A nota amends its own customer's document: a mistyped folio must not lower someone else's debt.
            if (targetCustomers[targetId] != r.CustomerId)
            {
                outcome.Say(r.DocumentId, $"{noteLabel}: {targetLabel} es de otro cliente; la nota no se aplicó. Revisa la referencia.");
                continue;
            }
            await ApplyAsync(new Pending(r.Id, r.DocumentId, noteLabel, r.NoteType, r.Total, r.CodRef, r.Reason, targetId, targetLabel,
                (DocumentType)r.ReferencedType), outcome, ct);
        }
        return outcome;
    }

    private sealed record Pending(long ReferenceId, long NoteId, string NoteLabel, DocumentType NoteType, long Total, int? CodRef, string? Reason,
        long TargetId, string TargetLabel, DocumentType TargetType);

    private async Task ApplyAsync(Pending p, DteReferenceOutcome outcome, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // First statement a write (SQLite takes its write lock here). The reference is claimed once: a second run,
        // or a concurrent import that saw the same pending row, changes nothing.
        var claimed = await db.DocumentReferences.Where(r => r.Id == p.ReferenceId && r.ReferencedDocumentId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ReferencedDocumentId, p.TargetId).SetProperty(r => r.AppliedAt, now)
                .SetProperty(r => r.AppliedAmount, 0L), ct);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(ct);
            return;
        }
        // One reference per nota moves money: the nota is claimed too (its ReferenceDocumentId, as for notas issued in Abono).
        var reason = p.Reason is null ? null : p.Reason.Length <= 200 ? p.Reason : p.Reason[..200];
        var first = await db.Documents.Where(d => d.Id == p.NoteId && d.ReferenceDocumentId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ReferenceDocumentId, p.TargetId).SetProperty(d => d.ReferenceReason, reason), ct) == 1;
        if (!first || p.TargetType.IsNote() || p.CodRef == 2 || p.Total == 0)
        {
            await transaction.CommitAsync(ct);
            outcome.Say(p.NoteId, !first
                ? $"También referencia a {p.TargetLabel}; su monto ya se aplicó a otro documento."
                : p.TargetType.IsNote() ? $"Referencia a {p.TargetLabel}: una nota aplicada a otra nota no cambia saldos."
                : $"Referencia a {p.TargetLabel}: corrige texto, no cambia su saldo.");
            return;
        }

        long change, excess = 0, after;
        if (p.NoteType == DocumentType.NotaDebito)
        {
            await db.Documents.Where(d => d.Id == p.TargetId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Balance, d => d.Balance + p.Total), ct);
            change = p.Total;
        }
        else
        {
            change = await ReduceAsync(p, ct);
            excess = p.Total + change;
            if (excess > 0)
            {
                await db.Documents.Where(d => d.Id == p.NoteId)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.UnappliedCredit, d => d.UnappliedCredit + excess), ct);
            }
        }
        await db.DocumentReferences.Where(r => r.Id == p.ReferenceId).ExecuteUpdateAsync(s => s.SetProperty(r => r.AppliedAmount, change), ct);
        after = await db.Documents.Where(d => d.Id == p.TargetId).Select(d => d.Balance).SingleAsync(ct);
        await transaction.CommitAsync(ct);

        var verb = change >= 0 ? "subió" : "bajó";
        outcome.Say(p.NoteId, $"Aplicada a {p.TargetLabel}: su saldo {verb} {ChileFormats.Clp(Math.Abs(change))} y quedó en {ChileFormats.Clp(after)}.");
        outcome.Say(p.TargetId, $"Se aplicó la {p.NoteLabel.ToLowerInvariant()} que la referencia: saldo {ChileFormats.Clp(after)}.");
        if (excess > 0)
        {
            outcome.UnappliedCredit[p.NoteId] = excess;
            outcome.Say(p.NoteId, $"La nota supera el saldo de {p.TargetLabel}: quedan {ChileFormats.Clp(excess)} a favor del cliente.");
        }
        if (p.CodRef == 1 && after > 0)
        {
            outcome.Say(p.NoteId, $"La nota anula {p.TargetLabel}, pero su monto no cubre todo el saldo: quedan {ChileFormats.Clp(after)} por cobrar.");
        }
    }

    /// <summary>Takes what the balance covers (at most the nota's total) with the shared guarded update; retried if a payment moved it meanwhile.</summary>
    private async Task<long> ReduceAsync(Pending p, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var balance = await db.Documents.Where(d => d.Id == p.TargetId).Select(d => d.Balance).SingleAsync(ct);
            var applied = Math.Min(Math.Max(balance, 0), p.Total);
            if (applied == 0 || await DocumentBalances.TryReduceAsync(db, p.TargetId, applied, ct))
            {
                return -applied;
            }
        }
        return 0;
    }

    private static string Label(int type, long folio) =>
        Enum.IsDefined(typeof(DocumentType), type) ? $"{((DocumentType)type).ShortName()} {folio}" : $"el documento tipo {type} folio {folio}";
}
