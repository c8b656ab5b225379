using System.Xml;
using System.Xml.Linq;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// Finding SII elements whether or not the file declares the SII namespace: files in the wild come both ways, and
/// the element names are the same.
/// </summary>
internal static class SiiXml
{
    public const string Namespace = "http://www.sii.cl/SiiDte";
    public const string DsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

    public static bool IsSii(this XElement element, string localName) =>
        element.Name.LocalName == localName && element.Name.NamespaceName is "" or Namespace;

    public static XElement? Child(this XElement? element, string localName)
    {
        if (element is null)
        {
            return null;
        }
        foreach (var child in element.Elements())
        {
            if (child.IsSii(localName))
            {
                return child;
            }
        }
        return null;
    }

    public static IEnumerable<XElement> Children(this XElement? element, string localName) =>
        element is null ? [] : element.Elements().Where(e => e.IsSii(localName));

    public static XElement? Path(this XElement? element, params string[] names)
    {
        foreach (var name in names)
        {
            element = element.Child(name);
        }
        return element;
    }

    /// <summary>The trimmed text of a child; null when it is missing or blank.</summary>
    public static string? Text(this XElement? element, string localName)
    {
        var value = element.Child(localName)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public static XElement? Signature(this XElement element) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == "Signature" && e.Name.NamespaceName == DsigNamespace);

    public static int? Line(this XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

    /// <summary>"Documento/Encabezado/Totales/MntTotal", relative to <paramref name="root"/>.</summary>
    public static string PathFrom(this XElement element, XElement root)
    {
        var names = new Stack<string>();
        for (var e = element; e is not null && e != root; e = e.Parent)
        {
            names.Push(e.Name.LocalName);
        }
        return string.Join('/', names);
    }
}
