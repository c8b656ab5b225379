namespace Abono.Web.Features.Documents.Dte;

public sealed record DteZipLimits
{
    public static readonly DteZipLimits Default = new();

    /// <summary>The .zip itself; the upload limit of the caller should be lower still.</summary>
    public long MaxZipBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Ten times the 2,000-document envelope of the SII: a year of a busy business.</summary>
    public int MaxEntries { get; init; } = 20_000;

    /// <summary>Per entry, as for a single file (<see cref="DteReaderOptions.MaxFileBytes"/>).</summary>
    public long MaxEntryBytes { get; init; } = 5L * 1024 * 1024;

    /// <summary>Everything uncompressed: past this the .zip is a bomb, not an export.</summary>
    public long MaxTotalBytes { get; init; } = 1024L * 1024 * 1024;
}

/// <summary>
/// One entry of the .zip. Entries that are not read (not XML, too large, encrypted) carry an <see cref="Issue"/> and
/// no content, so the import can say what it left out.
/// </summary>
public sealed record DteZipEntry(string Name, ReadOnlyMemory<byte> Content, DteIssue? Issue = null)
{
    public bool IsXml => Issue is null;
}

/// <summary>The whole .zip is refused; <see cref="Exception.Message"/> is for the business, in Spanish.</summary>
public sealed class DteZipRefusedException(string message) : Exception(message);
