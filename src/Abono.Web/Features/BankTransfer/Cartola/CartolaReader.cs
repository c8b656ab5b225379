using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using ExcelDataReader;

namespace Abono.Web.Features.BankTransfer.Cartola;

/// <summary>The cells of an uploaded cartola as text, or why it cannot be read (in Spanish, shown next to the file field).</summary>
public sealed record CartolaTable(IReadOnlyList<string[]> Rows, string? Error)
{
    public static CartolaTable Refused(string error) => new([], error);
}

/// <summary>
/// Reads a bank export (CSV, XLSX or the older XLS) into rows of text. The file comes from outside: its size, its
/// rows, its columns and its uncompressed size are capped, its kind is told by its first bytes (not by its name or
/// the browser's content type), and spreadsheets are read for their stored values only — ExcelDataReader never
/// evaluates a formula, so a formula cell without a cached value reads as empty.
/// </summary>
public static class CartolaReader
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public const int MaxRows = 20_000;
    private const int MaxColumns = 60;
    private const int MaxCellLength = 300;
    private const long MaxUncompressedBytes = 100L * 1024 * 1024;

    static CartolaReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static readonly string[] Extensions = [".csv", ".txt", ".xlsx", ".xls"];

    public static CartolaTable Read(string fileName, byte[] content)
    {
        if (content.Length == 0)
        {
            return CartolaTable.Refused("El archivo está vacío.");
        }
        if (content.Length > MaxBytes)
        {
            return CartolaTable.Refused($"La cartola puede pesar hasta {MaxBytes / 1024 / 1024} MB. Descarga un período más corto.");
        }
        var span = content.AsSpan();
        if (span.StartsWith("%PDF"u8))
        {
            return CartolaTable.Refused("Los PDF no se pueden leer: descarga la cartola en Excel o CSV desde tu banco.");
        }
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!Extensions.Contains(extension))
        {
            return CartolaTable.Refused("Sube la cartola como la descarga tu banco: CSV o Excel (XLSX o XLS).");
        }
        var isZip = span.StartsWith("PK\u0003\u0004"u8);
        var isOle = span.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0 });
        if (extension is ".xlsx" or ".xls" || isZip || isOle)
        {
            return isZip || isOle ? ReadSpreadsheet(content, isZip) : CartolaTable.Refused("El archivo no es un Excel válido. Descárgalo nuevamente desde tu banco.");
        }
        return ReadCsv(content);
    }

    private static CartolaTable ReadSpreadsheet(byte[] content, bool isZip)
    {
        try
        {
            if (isZip && !WithinUncompressedCap(content))
            {
                return CartolaTable.Refused("El Excel es demasiado grande una vez descomprimido. Descarga un período más corto.");
            }
            using var stream = new MemoryStream(content, writable: false);
            using var reader = ExcelReaderFactory.CreateReader(stream);
            var rows = new List<string[]>();
            while (reader.Read())
            {
                if (rows.Count >= MaxRows + 50)
                {
                    return TooManyRows();
                }
                var count = Math.Min(reader.FieldCount, MaxColumns);
                var cells = new string[count];
                for (var i = 0; i < count; i++)
                {
                    cells[i] = Cut(Cell(reader.GetValue(i)));
                }
                rows.Add(cells);
            }
            return new CartolaTable(rows, null);
        }
        // A hostile or damaged file can make the reader fail in many ways; each is a refusal shown on the form, never a 500.
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            return CartolaTable.Refused("No pudimos leer el Excel (¿está dañado o protegido con clave?). Descárgalo nuevamente desde tu banco.");
        }
    }

    /// <summary>A zip's declared sizes, summed before anything inflates it: a few KB must not become gigabytes in memory.</summary>
    private static bool WithinUncompressedCap(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        return zip.Entries.Sum(e => e.Length) <= MaxUncompressedBytes && zip.Entries.Count < 1_000;
    }

    /// <summary>Stored values as the reports would show them: dates dd-MM-yyyy, whole numbers without separators.</summary>
    private static string Cell(object? value) => value switch
    {
        null => "",
        DateTime d => d.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
        double n when n == Math.Floor(n) && Math.Abs(n) < 1e15 => ((long)n).ToString(CultureInfo.InvariantCulture),
        // A fraction of a peso: written the Chilean way so the amount reader refuses it rather than misreading it.
        double n => n.ToString("0.############", CultureInfo.InvariantCulture).Replace('.', ','),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "",
    };

    private static CartolaTable ReadCsv(byte[] content)
    {
        if (Decode(content) is not { } text)
        {
            return CartolaTable.Refused("El archivo no parece una cartola en texto (CSV): tiene caracteres binarios. Sube el CSV o el Excel que descarga tu banco.");
        }
        var firstLines = text[..Math.Min(text.Length, 4096)];
        var separator = new[] { ';', ',', '\t', '|' }.MaxBy(d => firstLines.Count(c => c == d));
        var rows = new List<string[]>();
        try
        {
            using var csv = CsvReader.FromText(text, new CsvReaderOptions { Separator = separator, HasHeader = false, TrimWhitespace = true });
            while (csv.Read())
            {
                if (rows.Count >= MaxRows + 50)
                {
                    return TooManyRows();
                }
                var count = Math.Min(csv.FieldCount, MaxColumns);
                var cells = new string[count];
                for (var i = 0; i < count; i++)
                {
                    cells[i] = Cut(csv.GetString(i));
                }
                rows.Add(cells);
            }
        }
        catch (Exception ex) when (ex is CsvFormatException or CsvValidationException or FormatException)
        {
            return CartolaTable.Refused("No pudimos leer el CSV: revisa que esté separado por «;» o «,».");
        }
        return new CartolaTable(rows, null);
    }

    /// <summary>
    /// UTF-8 (with or without BOM) or UTF-16 with its BOM (Excel's «Texto Unicode»); anything else that is not valid
    /// UTF-8 is read as Windows-1252, the encoding Chilean banks' CSV exports commonly use. A NUL byte outside UTF-16
    /// means a binary file: null.
    /// </summary>
    private static string? Decode(byte[] content)
    {
        var span = content.AsSpan();
        if (span.StartsWith(new byte[] { 0xFF, 0xFE }) || span.StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            var unicode = span[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            var decoded = unicode.GetString(content, 2, content.Length - 2);
            return decoded.Contains('\0') ? null : decoded;
        }
        if (span.IndexOf((byte)0) >= 0)
        {
            return null;
        }
        var bom = span.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? 3 : 0;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content, bom, content.Length - bom);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(content);
        }
    }

    private static CartolaTable TooManyRows() =>
        CartolaTable.Refused($"La cartola tiene más de {MaxRows.ToString("#,0", Platform.Chile.ChileFormats.Numbers)} filas. Descarga un período más corto.");

    private static string Cut(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length > MaxCellLength ? trimmed[..MaxCellLength] : trimmed;
    }
}
