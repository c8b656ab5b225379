using Abono.Web.Data;
using Abono.Web.Features.Documents.Dte;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents.Import;

public sealed record DteImportOptions
{
    /// <summary>Who imports (the user's email, "api", "import"), kept on what the import records.</summary>
    public string? RecordedBy { get; init; }

    /// <summary>How many files there are, when the caller knows it (for progress).</summary>
    public int? FilesTotal { get; init; }
}

/// <summary>
/// Imports DTE XML files (a DTE, an EnvioDTE with many, an AEC; or a .zip of them) for the scope's company: each
/// document its own outcome, in Spanish. Only documents the company issued (RUTEmisor) are taken. The key is the
/// company, TipoDTE and Folio: the same XML again changes nothing, other content for the same key is reported and
/// never overwritten. Documents are written in batches (<see cref="DteBatchWriter"/>); notas are then applied to the
/// documents they reference (<see cref="DteReferenceApplier"/>) and AEC cesiones recorded (<see cref="AecImport"/>).
/// </summary>
public sealed class DteImporter(AbonoDbContext db, TimeProvider clock, DteReferenceApplier references, AecImport aec, ILogger<DteImporter> logger)
{
    /// <summary>Documents per database batch: large enough to amortize round trips, small enough to hold little memory.</summary>
    public const int BatchSize = 250;

    private static readonly DteFileReader Reader = new();
    private static readonly DteZipReader ZipReader = new();

    public async Task<DteImportReport> ImportAsync(IEnumerable<DteImportFile> files, DteImportOptions? options = null,
        IProgress<DteImportProgress>? progress = null, CancellationToken ct = default)
    {
        options ??= new DteImportOptions();
        if (db.CurrentCompanyId == Guid.Empty)
        {
            throw new InvalidOperationException("A DTE import needs the scope's company.");
        }
        var companyId = db.CurrentCompanyId;
        var companyRut = await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => c.Rut).SingleAsync(ct);
        if (!Rut.TryParse(companyRut, out var company))
        {
            throw new InvalidOperationException("The company's RUT is not valid.");
        }

        var report = new DteImportReport();
        var customerIds = new HashSet<long>();
        var chunk = new List<(string Name, ReadOnlyMemory<byte> Content)>(BatchSize);
        var done = 0;
        // Reading a chunk (schema, signature: most of the work, no database) overlaps writing the one before it.
        Task<DteFileResult[]>? reading = null;
        async Task WritePreviousAsync()
        {
            if (reading is not null)
            {
                var results = await reading;
                reading = null;
                await WriteChunkAsync(results, company, options, report, customerIds, ct);
                done += results.Length;
                progress?.Report(new DteImportProgress(done, options.FilesTotal));
            }
        }
        foreach (var (name, content, issue) in Expand(files, report))
        {
            if (issue is not null)
            {
                var skipped = new DteFileReport { FileName = name };
                (issue.IsError ? skipped.Errors : skipped.Warnings).Add(issue.Message);
                report.Files.Add(skipped);
                continue;
            }
            chunk.Add((name, content));
            if (chunk.Count == BatchSize)
            {
                var next = Read(chunk, ct);
                chunk = new List<(string Name, ReadOnlyMemory<byte> Content)>(BatchSize);
                await WritePreviousAsync();
                reading = next;
            }
        }
        if (chunk.Count > 0)
        {
            var last = Read(chunk, ct);
            await WritePreviousAsync();
            reading = last;
        }
        await WritePreviousAsync();
        report.CustomersToComplete.AddRange(await CustomersToCompleteAsync(customerIds, ct));
        return report;
    }

    /// <summary>The files as .xml contents: each .zip opened lazily (one entry at a time), with what it leaves out.</summary>
    private static IEnumerable<(string Name, ReadOnlyMemory<byte> Content, DteIssue? Issue)> Expand(IEnumerable<DteImportFile> files, DteImportReport report)
    {
        foreach (var file in files)
        {
            if (!file.IsZip)
            {
                yield return (file.Name, file.Content, null);
                continue;
            }
            IEnumerator<DteZipEntry> entries;
            string? refusal = null;
            try
            {
                entries = ZipReader.ReadEntries(new MemoryStream(file.Content.ToArray(), writable: false)).GetEnumerator();
            }
            catch (DteZipRefusedException e)
            {
                entries = Enumerable.Empty<DteZipEntry>().GetEnumerator();
                refusal = e.Message;
            }
            using (entries)
            {
                while (refusal is null)
                {
                    try
                    {
                        if (!entries.MoveNext())
                        {
                            break;
                        }
                    }
                    catch (DteZipRefusedException e)
                    {
                        refusal = e.Message;
                        break;
                    }
                    var entry = entries.Current;
                    yield return ($"{file.Name}/{entry.Name}", entry.Content, entry.Issue);
                }
            }
            if (refusal is not null)
            {
                var refused = new DteFileReport { FileName = file.Name, Kind = "ZIP" };
                refused.Errors.Add(refusal);
                report.Files.Add(refused);
                report.Refusal ??= $"{file.Name}: {refusal}";
            }
        }
    }

    private static Task<DteFileResult[]> Read(List<(string Name, ReadOnlyMemory<byte> Content)> chunk, CancellationToken ct) => Task.Run(() =>
    {
        var results = new DteFileResult[chunk.Count];
        Parallel.For(0, chunk.Count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = Reader.Read(chunk[i].Content, chunk[i].Name));
        return results;
    }, ct);

    private async Task WriteChunkAsync(DteFileResult[] results, Rut company, DteImportOptions options, DteImportReport report, HashSet<long> customerIds,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = new List<DteCandidate>();
        var aecs = new List<(DteFileReport File, DteAec Aec, DteCandidate Ceded)>();
        foreach (var result in results)
        {
            var file = new DteFileReport
            {
                FileName = result.FileName,
                Kind = result.Kind switch { DteFileKind.Dte => "DTE", DteFileKind.EnvioDte => "EnvioDTE", DteFileKind.Aec => "AEC (cesión)", _ => "" },
            };
            file.Errors.AddRange(result.Errors.Select(e => e.Message));
            file.Warnings.AddRange(result.Issues.Where(i => !i.IsError).Select(i => i.Message));
            report.Files.Add(file);
            if (result.Kind == DteFileKind.Aec)
            {
                if (result.Aec is { } cession)
                {
                    var ceded = DteDocumentMapper.Map(result, cession.CededDocument, company, result.FileName, now, fromAec: true);
                    file.Documents.Add(ceded.Report);
                    if (ceded.Document is not null)
                    {
                        candidates.Add(ceded);
                        aecs.Add((file, cession, ceded));
                    }
                }
                continue;
            }
            foreach (var dte in result.Documents)
            {
                var candidate = DteDocumentMapper.Map(result, dte, company, result.FileName, now);
                file.Documents.Add(candidate.Report);
                if (candidate.Document is not null)
                {
                    candidates.Add(candidate);
                }
            }
        }

        var writer = new DteBatchWriter(db, logger);
        var seen = new List<long>();
        for (var i = 0; i < candidates.Count; i += BatchSize)
        {
            var batch = candidates.GetRange(i, Math.Min(BatchSize, candidates.Count - i));
            var written = await writer.WriteAsync(batch, ct);
            customerIds.UnionWith(written.CustomerIds);
            seen.AddRange(batch.Where(c => c.Report.Outcome is DteImportOutcome.Imported or DteImportOutcome.AlreadyImported && c.Report.DocumentId is not null)
                .Select(c => c.Report.DocumentId!.Value));
        }

        // Notas and the documents they reference, in either order; a re-import also completes one a crash interrupted.
        var applied = await references.ApplyPendingAsync(seen, ct);
        foreach (var c in candidates.Where(c => c.Report.DocumentId is not null))
        {
            var id = c.Report.DocumentId!.Value;
            if (applied.Messages.TryGetValue(id, out var messages))
            {
                c.Report.Notes.AddRange(messages);
            }
            if (applied.UnappliedCredit.TryGetValue(id, out var credit))
            {
                c.Report.UnappliedCredit = credit;
            }
        }

        foreach (var (file, cession, ceded) in aecs)
        {
            if (ceded.Report.DocumentId is long documentId)
            {
                file.Cessions.AddRange(await aec.RecordAsync(documentId, cession, file.FileName, options.RecordedBy, ct));
            }
        }
    }

    private async Task<List<DteCustomerToComplete>> CustomersToCompleteAsync(HashSet<long> ids, CancellationToken ct)
    {
        var list = new List<DteCustomerToComplete>();
        foreach (var part in ids.Chunk(500))
        {
            var customers = await db.Customers.AsNoTracking().Where(c => part.Contains(c.Id)).Select(c => new { c.Id, c.Name, c.Rut, c.Email, c.Phone }).ToListAsync(ct);
            list.AddRange(customers
                .Select(c => new DteCustomerToComplete(c.Id, c.Name, c.Rut, !Rules.IsValidEmail(c.Email), !ChileanPhone.TryNormalize(c.Phone, out _)))
                .Where(c => c.MissingEmail || c.MissingPhone));
        }
        return list.OrderBy(c => c.Name).ToList();
    }
}
