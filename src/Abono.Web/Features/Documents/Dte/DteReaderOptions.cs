namespace Abono.Web.Features.Documents.Dte;

public enum DteSchemaValidation
{
    Off,

    /// <summary>Schema findings are warnings: the SII accepted files that invoicing systems emit with small deviations.</summary>
    Warn,

    /// <summary>Schema findings are errors.</summary>
    Enforce,
}

public sealed record DteReaderOptions
{
    public static readonly DteReaderOptions Default = new();

    /// <summary>
    /// A DTE is 3–8 KB, so 5 MB holds an EnvioDTE of several hundred; the SII allows envelopes of up to 2,000, which an
    /// import of such files would raise this for. The cap is what keeps a hostile file from costing us memory.
    /// </summary>
    public int MaxFileBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>A DTE nests about 10 levels (15 inside an AEC); far deeper is an attack on the parser.</summary>
    public int MaxDepth { get; init; } = 64;

    public DteSchemaValidation SchemaValidation { get; init; } = DteSchemaValidation.Warn;

    /// <summary>Schema findings kept per document: the first ones explain, hundreds more only bury them.</summary>
    public int MaxSchemaIssuesPerDocument { get; init; } = 10;

    public bool VerifySignatures { get; init; } = true;
}
