namespace Abono.Web.Features.Documents.Dte;

public enum DteFileKind
{
    /// <summary>Not read: the file-level errors say why.</summary>
    Unknown,

    /// <summary>A single &lt;DTE&gt;.</summary>
    Dte,

    /// <summary>An &lt;EnvioDTE&gt; (or &lt;EnvioBOLETA&gt;) envelope holding many DTEs.</summary>
    EnvioDte,

    /// <summary>An &lt;AEC&gt;: a ceded DTE and its cesiones.</summary>
    Aec,
}

/// <summary>
/// What one file held. <see cref="Errors"/> are about the file as a whole (too large, not XML, a DTD); each document
/// and cesión carries its own issues.
/// </summary>
public sealed class DteFileResult
{
    private readonly List<DteIssue> _issues = [];
    private readonly List<DteDocument> _documents = [];

    internal DteFileResult(string fileName, ReadOnlyMemory<byte> content)
    {
        FileName = fileName;
        Content = content;
    }

    public string FileName { get; }

    /// <summary>The file's bytes exactly as received (keep these to store or serve the original).</summary>
    public ReadOnlyMemory<byte> Content { get; }

    public DteFileKind Kind { get; internal set; }

    /// <summary>The encoding the file was read with (from its BOM or XML declaration).</summary>
    public string? Encoding { get; internal set; }

    /// <summary>Whether the root element is in the SII namespace (http://www.sii.cl/SiiDte).</summary>
    public bool HasSiiNamespace { get; internal set; }

    /// <summary>The EnvioDTE's own signature (over SetDTE); Unsigned for other kinds.</summary>
    public DteSignatureCheck EnvelopeSignature { get; internal set; } = DteSignatureCheck.Unsigned;

    public IReadOnlyList<DteIssue> Issues => _issues;
    public IEnumerable<DteIssue> Errors => _issues.Where(i => i.IsError);
    public bool HasErrors => _issues.Any(i => i.IsError);

    /// <summary>The DTEs of the file; for an AEC, the ceded one.</summary>
    public IReadOnlyList<DteDocument> Documents => _documents;

    /// <summary>Set when the file is an AEC.</summary>
    public DteAec? Aec { get; internal set; }

    internal void Add(DteIssue issue) => _issues.Add(issue);

    internal void AddDocument(DteDocument document) => _documents.Add(document);
}
