using System.Text;
using System.Text.RegularExpressions;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>The text of a file and how its bytes map to it.</summary>
internal sealed record DecodedXml(string Text, Encoding Encoding, string EncodingName, int BomLength, DteIssue? Warning);

/// <summary>
/// Decodes a file the way an XML parser would (BOM, else the XML declaration, else UTF-8), so the text we parse is
/// the same text we slice for the original of each document. Real DTE files are ISO-8859-1; never assume UTF-8.
/// </summary>
internal static partial class XmlTextDecoder
{
    static XmlTextDecoder()
    {
        // windows-1252 and other code pages are not in .NET by default.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [GeneratedRegex("""^\s*<\?xml\s+version\s*=\s*["'][^"']*["'](?:\s+encoding\s*=\s*["'](?<name>[^"']{1,40})["'])?""", RegexOptions.CultureInvariant)]
    private static partial Regex Declaration();

    public static DecodedXml Decode(ReadOnlySpan<byte> bytes, out DteIssue? error)
    {
        error = null;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Strict(bytes, 3, StrictUtf8, "UTF-8", out error);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Strict(bytes, 2, new UnicodeEncoding(false, false, true), "UTF-16", out error);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Strict(bytes, 2, new UnicodeEncoding(true, false, true), "UTF-16BE", out error);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x3C, 0x00, 0x3F, 0x00]))
        {
            return Strict(bytes, 0, new UnicodeEncoding(false, false, true), "UTF-16", out error);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x3C, 0x00, 0x3F]))
        {
            return Strict(bytes, 0, new UnicodeEncoding(true, false, true), "UTF-16BE", out error);
        }

        // The declaration is ASCII in every ASCII-compatible encoding: read it from the first bytes.
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 256)]);
        var declared = Declaration().Match(head) is { Success: true } m && m.Groups["name"].Success ? m.Groups["name"].Value.Trim() : null;
        if (declared is null)
        {
            try
            {
                return new DecodedXml(StrictUtf8.GetString(bytes), StrictUtf8, "UTF-8", 0, null);
            }
            catch (DecoderFallbackException)
            {
                // Files saved by Windows tools without a declaration are often windows-1252: read them, but say so.
                var cp1252 = Encoding.GetEncoding(1252);
                return new DecodedXml(cp1252.GetString(bytes), cp1252, "windows-1252", 0, DteIssue.Warning(DteIssueCodes.Encoding,
                    "El archivo no declara su codificación y no es UTF-8 válido: se leyó como Windows-1252 (ISO-8859-1). Revisa que los acentos se vean bien."));
            }
        }

        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(declared);
        }
        catch (ArgumentException)
        {
            error = DteIssue.Error(DteIssueCodes.Encoding, $"El archivo declara la codificación «{declared}», que no reconocemos. Los DTE usan ISO-8859-1 o UTF-8.");
            return new DecodedXml("", StrictUtf8, declared, 0, null);
        }
        if (encoding.CodePage == Encoding.UTF8.CodePage)
        {
            return Strict(bytes, 0, StrictUtf8, "UTF-8", out error);
        }
        if (encoding.CodePage is 1200 or 1201 or 12000 or 12001)
        {
            // A UTF-16/32 declaration on bytes that started like ASCII (no BOM, no "<\0?\0"): the bytes contradict it.
            error = DteIssue.Error(DteIssueCodes.Encoding, $"El archivo declara «{declared}», pero sus bytes no están en esa codificación.");
            return new DecodedXml("", encoding, declared, 0, null);
        }
        if (!encoding.IsSingleByte)
        {
            error = DteIssue.Error(DteIssueCodes.Encoding, $"El archivo declara la codificación «{declared}», que no aceptamos. Los DTE usan ISO-8859-1 o UTF-8.");
            return new DecodedXml("", encoding, declared, 0, null);
        }
        return new DecodedXml(encoding.GetString(bytes), encoding, encoding.CodePage == 28591 ? "ISO-8859-1" : encoding.WebName, 0, null);
    }

    private static DecodedXml Strict(ReadOnlySpan<byte> bytes, int bom, Encoding encoding, string name, out DteIssue? error)
    {
        error = null;
        try
        {
            return new DecodedXml(encoding.GetString(bytes[bom..]), encoding, name, bom, null);
        }
        catch (DecoderFallbackException)
        {
            error = DteIssue.Error(DteIssueCodes.Encoding,
                $"El archivo dice estar en {name}, pero tiene bytes que no son {name} válido (¿se guardó en ISO-8859-1 sin declararlo?).");
            return new DecodedXml("", encoding, name, bom, null);
        }
    }
}
