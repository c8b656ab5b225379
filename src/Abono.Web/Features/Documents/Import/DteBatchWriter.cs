using Abono.Web.Data;
using Abono.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents.Import;

/// <summary>
/// Writes a batch of documents read from DTE files: one query for the keys that exist, one for the customers, then
/// everything new in one transaction. If the batch fails (a concurrent import won a key, a value the database
/// refuses) it is written again one document per transaction, so one bad document never loses the others and none
/// is ever half written.
/// </summary>
internal sealed class DteBatchWriter(AbonoDbContext db, ILogger logger)
{
    public sealed record Written(List<long> DocumentIds, HashSet<long> CustomerIds);

    public async Task<Written> WriteAsync(IReadOnlyList<DteCandidate> batch, CancellationToken ct)
    {
        try
        {
            return await WriteOrRetryAsync(batch, ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    private async Task<Written> WriteOrRetryAsync(IReadOnlyList<DteCandidate> batch, CancellationToken ct)
    {
        var written = new Written([], []);
        try
        {
            await WriteOnceAsync(batch, written, ct);
            return written;
        }
        catch (Exception ex) when (batch.Count > 1 && IsRetryable(ex))
        {
            logger.LogInformation(ex, "DTE import batch of {Count} failed; writing its documents one at a time", batch.Count);
        }
        db.ChangeTracker.Clear();
        written = new Written([], []);
        foreach (var candidate in batch)
        {
            Reset(candidate);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await WriteOnceAsync([candidate], written, ct);
                    break;
                }
                catch (Exception ex) when (attempt < 3 && (ex is DbUpdateException u && UniqueViolation.Is(u) || IsDeadlock(ex)))
                {
                    // Someone else wrote the key (or the customer) meanwhile: look again, it is now "ya importado" or a conflict.
                    db.ChangeTracker.Clear();
                    Reset(candidate);
                }
                catch (DbUpdateException ex)
                {
                    logger.LogWarning(ex, "DTE import could not save {Label}", candidate.Report.Label);
                    db.ChangeTracker.Clear();
                    candidate.Report.Outcome = DteImportOutcome.Refused;
                    candidate.Report.Message = "No se importó.";
                    candidate.Report.Errors.Add($"{candidate.Report.Label}: no se pudo guardar (la base de datos rechazó alguno de sus datos).");
                    break;
                }
            }
        }
        return written;
    }

    private static bool IsRetryable(Exception ex) => ex is DbUpdateException || IsDeadlock(ex);

    /// <summary>PostgreSQL chose this transaction as a deadlock victim (or a serialization failure): nothing was written; try again.</summary>
    private static bool IsDeadlock(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure })
            {
                return true;
            }
        }
        return false;
    }

    private static void Reset(DteCandidate candidate)
    {
        candidate.Document!.Id = 0;
        candidate.Document.Customer = null;
        candidate.Document.CustomerId = null;
        foreach (var line in candidate.Document.Lines)
        {
            line.Id = 0;
            line.DocumentId = 0;
        }
        foreach (var payment in candidate.Document.Payments)
        {
            payment.Id = 0;
            payment.DocumentId = 0;
        }
        foreach (var reference in candidate.References)
        {
            reference.Id = 0;
        }
    }

    private async Task WriteOnceAsync(IReadOnlyList<DteCandidate> batch, Written written, CancellationToken ct)
    {
        // One query per type in the batch (usually one or two), so each is an index lookup on (CompanyId, Type, Folio).
        var existing = new Dictionary<(DocumentType, long), Existing>();
        foreach (var group in batch.GroupBy(c => c.Type))
        {
            var type = group.Key;
            var folios = group.Select(c => c.Folio).Distinct().ToList();
            foreach (var e in await db.Documents.AsNoTracking().Where(d => d.Type == type && folios.Contains(d.Folio))
                         .Select(d => new Existing(d.Id, d.Type, d.Folio, d.Origin, d.CustomerId, db.DocumentXmls.Where(x => x.DocumentId == d.Id).Select(x => x.Sha256).FirstOrDefault()))
                         .ToListAsync(ct))
            {
                existing[(e.Type, e.Folio)] = e;
            }
        }

        var fresh = new List<DteCandidate>();
        var inBatch = new Dictionary<(DocumentType, long), DteCandidate>();
        foreach (var c in batch)
        {
            var key = (c.Type, c.Folio);
            if (existing.TryGetValue(key, out var found))
            {
                Judge(c, found.Id, found.Sha256, found.Origin);
                if (found.CustomerId is long cid && c.Report.Outcome == DteImportOutcome.AlreadyImported)
                {
                    written.CustomerIds.Add(cid);
                }
            }
            else if (inBatch.TryGetValue(key, out var sibling))
            {
                // The same key twice in one upload (a DTE alone and again inside an EnvioDTE): the first one counts.
                Judge(c, null, sibling.Xml!.Sha256, DocumentOrigin.DteXml);
            }
            else
            {
                inBatch[key] = c;
                fresh.Add(c);
            }
        }
        if (fresh.Count == 0)
        {
            return;
        }

        var ruts = fresh.Where(c => c.Receptor is not null).Select(c => c.Receptor!.Rut).Distinct().ToList();
        var customers = await db.Customers.Where(c => ruts.Contains(c.Rut)).ToDictionaryAsync(c => c.Rut, ct);
        // Only additions (and the customers marked above): detecting changes over thousands of new rows is wasted work.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var now = fresh[0].Document!.CreatedAt;
        foreach (var c in fresh)
        {
            if (c.Receptor is not { } r)
            {
                continue;
            }
            if (!customers.TryGetValue(r.Rut, out var customer))
            {
                customer = new Customer { Rut = r.Rut, Name = r.Name, Email = r.Email, Phone = r.Phone, Address = r.Address, CreatedAt = now };
                customers[r.Rut] = customer;
                db.Customers.Add(customer);
            }
            else
            {
                // Fill what the customer lacks; never overwrite what the business typed. Marked by hand: change
                // detection is off for this batch.
                var entry = db.Entry(customer);
                if (customer.Email is null && r.Email is not null)
                {
                    customer.Email = r.Email;
                    entry.Property(x => x.Email).IsModified = true;
                }
                if (customer.Phone is null && r.Phone is not null)
                {
                    customer.Phone = r.Phone;
                    entry.Property(x => x.Phone).IsModified = true;
                }
                if (customer.Address is null && r.Address is not null)
                {
                    customer.Address = r.Address;
                    entry.Property(x => x.Address).IsModified = true;
                }
            }
            c.Document!.Customer = customer;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Issuing in Abono continues after the highest imported folio of each type. This is the transaction's first
        // statement, as in DocumentIssuer: the counter row lock serializes us with issuing (no deadlock on a folio
        // both want) and SQLite takes its write lock before anything else.
        // Always written (so always locked) and in type order: concurrent imports take the counters in the same order.
        foreach (var group in fresh.GroupBy(c => c.Type).OrderBy(g => g.Key))
        {
            var max = group.Max(c => c.Folio);
            await db.FolioCounters.Where(f => f.DocumentType == group.Key)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastFolio, f => f.LastFolio < max ? max : f.LastFolio), ct);
        }
        db.Documents.AddRange(fresh.OrderBy(c => c.Type).ThenBy(c => c.Folio).Select(c => c.Document!));
        await db.SaveChangesAsync(ct);
        foreach (var c in fresh)
        {
            c.Xml!.DocumentId = c.Document!.Id;
            db.DocumentXmls.Add(c.Xml);
            foreach (var reference in c.References)
            {
                reference.DocumentId = c.Document.Id;
                db.DocumentReferences.Add(reference);
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();

        foreach (var c in fresh)
        {
            var d = c.Document!;
            c.Report.Outcome = DteImportOutcome.Imported;
            c.Report.DocumentId = d.Id;
            c.Report.Message = d.Type.IsNote() ? "Importada."
                : d.Balance > 0 ? $"Importada a crédito: saldo {Platform.Chile.ChileFormats.Clp(d.Balance)}, vence el {Platform.Chile.ChileFormats.Date(d.DueDate)}."
                : "Importada como pagada (contado o sin costo).";
            written.DocumentIds.Add(d.Id);
            if (d.CustomerId is long cid)
            {
                written.CustomerIds.Add(cid);
            }
        }
    }

    private sealed record Existing(long Id, DocumentType Type, long Folio, DocumentOrigin Origin, long? CustomerId, string? Sha256);

    private static void Judge(DteCandidate c, long? existingId, string? sha, DocumentOrigin origin)
    {
        c.Report.DocumentId = existingId;
        var label = c.Report.Label;
        if (c.FromAec)
        {
            // The copy inside an AEC need not be byte for byte the file imported before: the document is the one ceded.
            c.Report.Outcome = DteImportOutcome.AlreadyImported;
            c.Report.Message = "El documento cedido ya estaba en Abono.";
        }
        else if (sha == c.Xml!.Sha256)
        {
            c.Report.Outcome = DteImportOutcome.AlreadyImported;
            c.Report.Message = "Ya importado: no cambió nada.";
        }
        else if (sha is null)
        {
            c.Report.Outcome = DteImportOutcome.Conflict;
            var where = origin switch
            {
                DocumentOrigin.Documentos => "emitido en Abono (Documentos)",
                DocumentOrigin.PuntoDeVenta => "emitido en el Punto de venta de Abono",
                DocumentOrigin.Importacion => "importado desde CSV o la API",
                _ => "en Abono",
            };
            c.Report.Message = $"{label}: ya existe un documento {where} con el mismo tipo y folio; no se importó el XML.";
        }
        else
        {
            c.Report.Outcome = DteImportOutcome.Conflict;
            c.Report.Message = $"{label}: ya existe con otro contenido; no se sobrescribió.";
        }
    }
}
