using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// Reads one file as the SII's invoicing systems export it: a single DTE, an EnvioDTE with many, or an AEC (cesión),
/// in any declared encoding, with or without the SII namespace, signed or not. Never throws on content: everything
/// wrong with the file or a document comes back as a <see cref="DteIssue"/> in Spanish. Safe on hostile input (no
/// DTD, nothing resolved, size and depth capped). Thread-safe: one instance can serve concurrent imports.
/// </summary>
public sealed class DteFileReader(DteReaderOptions? options = null)
{
    private static readonly HashSet<string> Located = ["DTE", "TED", "Cesion"];

    private readonly DteReaderOptions _options = options ?? DteReaderOptions.Default;

    public DteReaderOptions Options => _options;

    /// <summary>Reads at most <see cref="DteReaderOptions.MaxFileBytes"/> (plus one, to tell a larger file) from the stream.</summary>
    public DteFileResult Read(Stream stream, string fileName)
    {
        var buffer = new byte[Math.Min(_options.MaxFileBytes + 1L, stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : _options.MaxFileBytes + 1L)];
        var read = 0;
        while (read < buffer.Length && stream.Read(buffer, read, buffer.Length - read) is var n and > 0)
        {
            read += n;
        }
        if (read > _options.MaxFileBytes)
        {
            var result = new DteFileResult(fileName, ReadOnlyMemory<byte>.Empty);
            result.Add(TooLarge(stream.CanSeek ? stream.Length : read));
            return result;
        }
        return Read(buffer.AsMemory(0, read), fileName);
    }

    public DteFileResult Read(ReadOnlyMemory<byte> content, string fileName)
    {
        var result = new DteFileResult(fileName, content);
        if (content.IsEmpty)
        {
            result.Add(DteIssue.Error(DteIssueCodes.EmptyFile, "El archivo está vacío."));
            return result;
        }
        if (content.Length > _options.MaxFileBytes)
        {
            result.Add(TooLarge(content.Length));
            return result;
        }
        var decoded = XmlTextDecoder.Decode(content.Span, out var encodingError);
        if (encodingError is not null)
        {
            result.Add(encodingError);
            return result;
        }
        result.Encoding = decoded.EncodingName;
        if (decoded.Warning is not null)
        {
            result.Add(decoded.Warning);
        }

        var spans = new List<ElementSpan>();
        var scan = XmlElementLocator.Scan(decoded.Text, _options.MaxDepth, Located, spans);
        if (scan == XmlElementLocator.Outcome.Doctype)
        {
            result.Add(DteIssue.Error(DteIssueCodes.Dtd,
                "El archivo trae una declaración DOCTYPE (DTD). Por seguridad no se aceptan: un DTE del SII nunca la usa, y sirve para ataques como «billion laughs» o entidades externas (XXE)."));
            return result;
        }
        if (scan == XmlElementLocator.Outcome.TooDeep)
        {
            result.Add(DteIssue.Error(DteIssueCodes.TooDeep,
                $"El XML tiene más de {_options.MaxDepth} niveles de elementos anidados: no es un DTE."));
            return result;
        }

        XDocument xml;
        try
        {
            xml = SafeXml.Load(decoded.Text, _options.MaxFileBytes);
        }
        catch (XmlException e)
        {
            result.Add(DteIssue.Error(DteIssueCodes.NotXml,
                $"El archivo no es un XML válido (línea {e.LineNumber}, columna {e.LinePosition}). Revisa que sea el XML que entrega tu sistema de facturación.",
                line: e.LineNumber));
            return result;
        }

        var root = xml.Root!;
        result.HasSiiNamespace = root.Name.NamespaceName == SiiXml.Namespace;
        var context = new DteFileContext(content, decoded, xml, scan == XmlElementLocator.Outcome.Ok ? spans : null, _options, result);
        if (!root.IsSii(root.Name.LocalName))
        {
            result.Add(UnknownRoot(root));
            return result;
        }
        switch (root.Name.LocalName)
        {
            case "DTE":
                result.Kind = DteFileKind.Dte;
                result.AddDocument(context.ReadDte(root, 1));
                break;
            case "EnvioDTE" or "EnvioBOLETA":
                result.Kind = DteFileKind.EnvioDte;
                ReadEnvelope(root, context);
                break;
            case "AEC":
                result.Kind = DteFileKind.Aec;
                result.Aec = AecReader.Read(root, context);
                break;
            default:
                result.Add(UnknownRoot(root));
                break;
        }
        return result;
    }

    private void ReadEnvelope(XElement root, DteFileContext context)
    {
        var result = context.Result;
        var set = root.Child("SetDTE");
        var index = 0;
        foreach (var dte in set.Children("DTE"))
        {
            result.AddDocument(context.ReadDte(dte, ++index));
        }
        if (index == 0)
        {
            result.Add(DteIssue.Error(DteIssueCodes.NoDocuments, $"El {root.Name.LocalName} no contiene documentos (SetDTE/DTE)."));
            return;
        }
        // The envelope's own structure (Caratula); each DTE was validated on its own above.
        if (root.Name.LocalName == "EnvioDTE")
        {
            context.Schema(root, "EnvioDTE", result.Add, e => e.IsSii("DTE") && e.Parent?.IsSii("SetDTE") == true);
        }
        if (_options.VerifySignatures)
        {
            result.EnvelopeSignature = context.Verify(root, set, context.Text);
            DteFileContext.AddSignatureIssue(root.Name.LocalName, result.EnvelopeSignature, result.Add);
        }
    }

    private DteIssue TooLarge(long bytes) => DteIssue.Error(DteIssueCodes.FileTooLarge,
        $"El archivo pesa {Megabytes(bytes)} y el máximo es {Megabytes(_options.MaxFileBytes)} por archivo.");

    private static string Megabytes(long bytes) =>
        (bytes / (1024.0 * 1024.0)).ToString(bytes % (1024 * 1024) == 0 ? "0" : "0.0", ChileFormats.Numbers) + " MB";

    private static DteIssue UnknownRoot(XElement root) => DteIssue.Error(DteIssueCodes.UnknownRoot,
        root.Name.NamespaceName is "" or SiiXml.Namespace
            ? $"El archivo no es un DTE, un EnvioDTE ni un AEC del SII (su elemento principal es «{root.Name.LocalName}»)."
            : $"El archivo no es un DTE del SII: su elemento principal «{root.Name.LocalName}» está en el espacio de nombres «{root.Name.NamespaceName}».");
}
