namespace Abono.Web.Features.Import;

/// <summary>
/// Checks a CSV file as a whole before <see cref="CsvImporter"/> reads its rows, for the web page and the CLI alike.
/// </summary>
public static class CsvPreflight
{
    /// <summary>
    /// A NUL byte is never data: PostgreSQL refuses to store one (the import would fail mid-way with a 500), and a file
    /// full of them is usually Excel's «Texto Unicode» (UTF-16), which is also valid UTF-8 byte by byte. The whole file is
    /// refused, naming the first line that has one, so nothing is imported from a file that is not what it seems.
    /// </summary>
    public static ImportResult? Refusal(ReadOnlySpan<byte> content)
    {
        var nul = content.IndexOf((byte)0);
        if (nul < 0)
        {
            return null;
        }
        var line = content[..nul].Count((byte)'\n') + 1;
        return new ImportResult(0, 0, 0, 0,
        [
            new ImportError(line, "tiene un carácter nulo (NUL), que ningún dato admite; no se importó nada. "
                + "Si el archivo se guardó como «Texto Unicode», guárdalo como «CSV UTF-8 (delimitado por comas)»."),
        ], false);
    }
}
