using System.Xml;
using System.Xml.Linq;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// The only way DTE text becomes a tree: DTDs prohibited, nothing resolved, a cap on characters. Files come from
/// outside; a billion-laughs or external-entity (XXE) file must be a clear error, never a hang, a read of our disk or a
/// request to someone's server.
/// </summary>
internal static class SafeXml
{
    public static XmlReaderSettings Settings(int maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>Parses text already decoded by <see cref="XmlTextDecoder"/> (so the prolog's encoding is not re-applied).</summary>
    public static XDocument Load(string text, int maxCharacters) =>
        XDocument.Load(XmlReader.Create(new StringReader(text), Settings(maxCharacters)), LoadOptions.SetLineInfo);

    /// <summary>A DOM for XML-DSig, which needs the whitespace exactly as written.</summary>
    public static XmlDocument LoadDom(string text, int maxCharacters)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        // Comments and processing instructions stay: canonicalization decides what of them was signed.
        var settings = Settings(maxCharacters);
        settings.IgnoreComments = false;
        settings.IgnoreProcessingInstructions = false;
        using var reader = XmlReader.Create(new StringReader(text), settings);
        document.Load(reader);
        return document;
    }
}
