using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Import;

public enum DteImportOutcome
{
    /// <summary>Created now.</summary>
    Imported,

    /// <summary>The same XML (same SHA-256) was imported before: nothing changed.</summary>
    AlreadyImported,

    /// <summary>The key (type, folio) exists with other content, or was issued in Abono: nothing was overwritten.</summary>
    Conflict,

    /// <summary>Not imported: the reasons are in <see cref="DteDocumentReport.Errors"/>.</summary>
    Refused,
}

/// <summary>What happened to one document of a file, in the words the business reads.</summary>
public sealed class DteDocumentReport
{
    public required string Label { get; init; }
    public DteImportOutcome Outcome { get; internal set; }
    public long? DocumentId { get; internal set; }

    /// <summary>The one line that says what happened ("importada, a crédito: saldo $100.000").</summary>
    public string Message { get; internal set; } = "";
    public List<string> Errors { get; } = [];
    public List<string> Warnings { get; } = [];

    /// <summary>For a nota: what it changed on the document it references, or that it waits for it.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>For a nota de crédito: the part that found no balance (saldo a favor of the customer).</summary>
    public long UnappliedCredit { get; internal set; }

    public string OutcomeText => Outcome switch
    {
        DteImportOutcome.Imported => "Importado",
        DteImportOutcome.AlreadyImported => "Ya importado",
        DteImportOutcome.Conflict => "No se sobrescribió",
        _ => "Rechazado",
    };
}

/// <summary>One file as received (an entry of a .zip is one file too).</summary>
public sealed class DteFileReport
{
    public required string FileName { get; init; }

    /// <summary>"DTE", "EnvioDTE", "AEC (cesión)", or empty when the file could not be read.</summary>
    public string Kind { get; internal set; } = "";

    /// <summary>Why the file as a whole was not read (not XML, a DTD, too large); its documents are then empty.</summary>
    public List<string> Errors { get; } = [];
    public List<string> Warnings { get; } = [];
    public List<DteDocumentReport> Documents { get; } = [];

    /// <summary>For an AEC: what was recorded about the cesión.</summary>
    public List<string> Cessions { get; } = [];
}

/// <summary>A customer the import created or matched who lacks what the portal needs to reach them.</summary>
public sealed record DteCustomerToComplete(long CustomerId, string Name, string Rut, bool MissingEmail, bool MissingPhone)
{
    public string EditUrl => $"/clientes/{CustomerId}/editar";

    public string RutFormatted => Platform.Chile.Rut.Format(Rut);

    public string Missing => (MissingEmail, MissingPhone) switch
    {
        (true, true) => "correo electrónico y teléfono",
        (true, false) => "correo electrónico",
        _ => "teléfono",
    };
}

/// <summary>The result of one import: per file, per document, and the customers left to complete.</summary>
public sealed class DteImportReport
{
    public List<DteFileReport> Files { get; } = [];
    public List<DteCustomerToComplete> CustomersToComplete { get; } = [];

    /// <summary>Set when the whole upload was refused (a .zip bomb, a .zip too large): nothing in it was read.</summary>
    public string? Refusal { get; internal set; }

    public IEnumerable<DteDocumentReport> Documents => Files.SelectMany(f => f.Documents);
    public int Imported => Documents.Count(d => d.Outcome == DteImportOutcome.Imported);
    public int AlreadyImported => Documents.Count(d => d.Outcome == DteImportOutcome.AlreadyImported);
    public int Conflicts => Documents.Count(d => d.Outcome == DteImportOutcome.Conflict);
    public int Refused => Documents.Count(d => d.Outcome == DteImportOutcome.Refused);
    public int FilesWithErrors => Files.Count(f => f.Errors.Count > 0);

    public string Summary =>
        $"{Files.Count.ToString("#,0", ChileFormats.Numbers)} archivos · {Imported.ToString("#,0", ChileFormats.Numbers)} documentos importados · " +
        $"{AlreadyImported.ToString("#,0", ChileFormats.Numbers)} ya importados · {Conflicts.ToString("#,0", ChileFormats.Numbers)} no sobrescritos · " +
        $"{Refused.ToString("#,0", ChileFormats.Numbers)} rechazados" + (FilesWithErrors > 0 ? $" · {FilesWithErrors.ToString("#,0", ChileFormats.Numbers)} archivos no leídos" : "");

    /// <summary>Adds another part of the same import (the screen posts files in batches).</summary>
    internal void Merge(DteImportReport other)
    {
        Files.AddRange(other.Files);
        foreach (var customer in other.CustomersToComplete.Where(c => CustomersToComplete.All(x => x.CustomerId != c.CustomerId)))
        {
            CustomersToComplete.Add(customer);
        }
        Refusal ??= other.Refusal;
    }
}

/// <summary>Progress of an import: files read so far, and how many there are when known.</summary>
public readonly record struct DteImportProgress(int FilesDone, int? FilesTotal);

/// <summary>One uploaded file: an .xml (DTE, EnvioDTE or AEC) or a .zip of them.</summary>
public sealed record DteImportFile(string Name, ReadOnlyMemory<byte> Content)
{
    /// <summary>A .zip starts with a local file header (PK\3\4), or is an empty archive (PK\5\6).</summary>
    public bool IsZip => Content.Length >= 4 && Content.Span[0] == 0x50 && Content.Span[1] == 0x4B
        && ((Content.Span[2] == 3 && Content.Span[3] == 4) || (Content.Span[2] == 5 && Content.Span[3] == 6));
}
