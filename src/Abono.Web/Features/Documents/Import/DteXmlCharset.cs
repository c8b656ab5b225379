using System.Text;

namespace Abono.Web.Features.Documents.Import;

/// <summary>
/// The charset to serve a stored DTE with. A DTE taken out of an EnvioDTE has no XML declaration of its own, so its
/// encoding is told from its bytes: a declaration when there is one, UTF-16 by its zero bytes, UTF-8 when the bytes
/// are valid UTF-8, else ISO-8859-1 (what the SII's systems write). For ASCII-only bytes both are the same text.
/// </summary>
public static class DteXmlCharset
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static string Of(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || content.StartsWith((ReadOnlySpan<byte>)[0x3C, 0x00]))
        {
            return "utf-16";
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || content.StartsWith((ReadOnlySpan<byte>)[0x00, 0x3C]))
        {
            return "utf-16be";
        }
        var head = Encoding.Latin1.GetString(content[..Math.Min(content.Length, 200)]);
        var declared = System.Text.RegularExpressions.Regex.Match(head, """^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""");
        if (declared.Success)
        {
            return declared.Groups[1].Value;
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return "utf-8";
        }
        try
        {
            StrictUtf8.GetCharCount(content);
            return content.ContainsAnyInRange((byte)0x80, (byte)0xFF) ? "utf-8" : "ISO-8859-1";
        }
        catch (DecoderFallbackException)
        {
            return "ISO-8859-1";
        }
    }

    /// <summary>"factura-1234.xml".</summary>
    public static string FileName(DocumentType type, long folio) =>
        $"{type.ShortName().ToLowerInvariant().Replace(' ', '-').Replace("é", "e").Replace("ó", "o")}-{folio}.xml";
}
