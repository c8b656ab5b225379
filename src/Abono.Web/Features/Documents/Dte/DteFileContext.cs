using System.Xml.Linq;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// One parsed file and where its elements are in the original: reads each DTE with its exact bytes, schema check and
/// signature check. Shared by the DTE, EnvioDTE and AEC paths.
/// </summary>
internal sealed class DteFileContext
{
    private readonly Dictionary<XElement, ElementSpan> _spans = [];
    private readonly ReadOnlyMemory<byte> _content;
    private readonly DecodedXml _decoded;
    private readonly ByteCursor _bytes;

    public DteFileContext(ReadOnlyMemory<byte> content, DecodedXml decoded, XDocument xml, List<ElementSpan>? spans, DteReaderOptions options, DteFileResult result)
    {
        _content = content;
        _decoded = decoded;
        Options = options;
        Result = result;
        _bytes = new ByteCursor(decoded);
        if (spans is not null)
        {
            Pair(xml, spans, "DTE");
            Pair(xml, spans, "TED");
            Pair(xml, spans, "Cesion");
        }
    }

    public DteReaderOptions Options { get; }
    public DteFileResult Result { get; }
    public string Text => _decoded.Text;

    public string? OriginalText(XElement element) => _spans.TryGetValue(element, out var span) ? Text.Substring(span.Start, span.Length) : null;

    public DteDocument ReadDte(XElement dte, int index)
    {
        DteOriginal? original = null;
        if (_spans.TryGetValue(dte, out var span) && _bytes.Range(span) is var (offset, length))
        {
            var ted = DteDocumentParser.DocumentElement(dte).Child("TED");
            original = new DteOriginal(_content.Slice(offset, length), offset, Text.Substring(span.Start, span.Length),
                ted is null ? null : OriginalText(ted), _decoded.EncodingName);
        }
        var document = DteDocumentParser.Parse(dte, index, original);
        if (original is null)
        {
            document.Add(DteIssue.Warning(DteIssueCodes.ByteRange, $"{document.Label}: no se pudo ubicar su XML original dentro del archivo."));
        }
        CheckSchema(document, dte);
        if (Options.VerifySignatures)
        {
            document.Signature = Verify(dte, DteDocumentParser.DocumentElement(dte), original?.Text);
            AddSignatureIssue(document.Label, document.Signature, document.Add);
        }
        return document;
    }

    public DteSignatureCheck Verify(XElement container, XElement? signedChild, string? originalText)
    {
        if (container.Signature() is null)
        {
            return DteSignatureCheck.Unsigned;
        }
        return originalText is null
            ? DteSignatureCheck.NotVerifiable("no se ubicó el XML original dentro del archivo.")
            : XmlSignatureVerifier.Verify(container, signedChild, originalText, Options.MaxFileBytes);
    }

    public static void AddSignatureIssue(string label, DteSignatureCheck check, Action<DteIssue> add)
    {
        switch (check.State)
        {
            case DteSignatureState.Invalid:
                add(DteIssue.Warning(DteIssueCodes.SignatureInvalid, $"{label}: {Lower(check.Message)}"));
                break;
            case DteSignatureState.NotVerifiable:
                add(DteIssue.Warning(DteIssueCodes.SignatureUnverifiable, $"{label}: {Lower(check.Message)}"));
                break;
        }
    }

    /// <summary>Validates an element against its SII schema, reporting findings through <paramref name="add"/>.</summary>
    public DteSchemaCheck Schema(XElement element, string label, Action<DteIssue> add, Func<XElement, bool>? skipContent = null)
    {
        if (Options.SchemaValidation == DteSchemaValidation.Off)
        {
            return DteSchemaCheck.NotChecked;
        }
        var findings = SiiSchemaValidator.Validate(element, skipContent, Options.MaxSchemaIssuesPerDocument);
        var severity = Options.SchemaValidation == DteSchemaValidation.Enforce ? DteIssueSeverity.Error : DteIssueSeverity.Warning;
        foreach (var finding in findings)
        {
            var where = finding.Line is int line ? $"{finding.Path} (línea {line})" : finding.Path;
            add(new DteIssue(severity, DteIssueCodes.Schema, $"{label}: no cumple el esquema del SII en {where}: {finding.Problem}.", finding.Path, finding.Line));
        }
        return findings.Count == 0 ? DteSchemaCheck.Valid : DteSchemaCheck.Invalid;
    }

    private void CheckSchema(DteDocument document, XElement dte)
    {
        if (Options.SchemaValidation == DteSchemaValidation.Off)
        {
            return;
        }
        // DTE_v10.xsd covers facturas, notas, guías, liquidaciones and exports; boletas have their own SII schema.
        document.Schema = document.TipoDte is int code && DteTypeNames.IsBoleta(code)
            ? DteSchemaCheck.NotCovered
            : Schema(dte, document.Label, document.Add);
    }

    private static string Lower(string message) => message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;

    // The scan and the parser see the same elements in the same order; if they ever disagree, keep no ranges.
    private void Pair(XDocument xml, List<ElementSpan> spans, string localName)
    {
        var elements = xml.Descendants().Where(e => e.Name.LocalName == localName).ToList();
        var located = spans.Where(s => s.LocalName == localName).ToList();
        if (elements.Count != located.Count)
        {
            return;
        }
        for (var i = 0; i < elements.Count; i++)
        {
            _spans[elements[i]] = located[i];
        }
    }

    /// <summary>
    /// Maps character positions of the decoded text to byte positions of the file. Single-byte encodings map one to
    /// one; UTF-8 and UTF-16 are counted forward from the last position, so an envelope of 2,000 DTEs costs one pass.
    /// </summary>
    private sealed class ByteCursor(DecodedXml decoded)
    {
        private int _char;
        private int _byte = decoded.BomLength;

        public (int Offset, int Length)? Range(ElementSpan span)
        {
            if (decoded.Encoding.IsSingleByte)
            {
                return (decoded.BomLength + span.Start, span.Length);
            }
            if (span.Start < _char)
            {
                _char = 0;
                _byte = decoded.BomLength;
            }
            _byte += decoded.Encoding.GetByteCount(decoded.Text.AsSpan(_char, span.Start - _char));
            _char = span.Start;
            return (_byte, decoded.Encoding.GetByteCount(decoded.Text.AsSpan(span.Start, span.Length)));
        }
    }
}
