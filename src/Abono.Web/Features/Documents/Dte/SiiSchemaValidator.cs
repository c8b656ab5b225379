using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>One way an element breaks the SII's schema, already in Spanish.</summary>
internal sealed record SchemaFinding(string Path, int? Line, string Problem);

/// <summary>
/// Validates one element (a DTE, an EnvioDTE envelope, a Cesion) against the global element of the same name in
/// <see cref="SiiSchemas"/>, walking the parsed tree with <see cref="XmlSchemaValidator"/> so each DTE of an envelope
/// gets its own findings, with line numbers.
/// Files without the SII namespace are common in the wild; their element names are the SII's, so they are validated
/// as if the namespace were declared (unqualified elements are taken as http://www.sii.cl/SiiDte). Refusing to
/// validate them would leave most real files unchecked; rejecting them would refuse files the SII itself took.
/// A missing ds:Signature is not reported: an unsigned file is allowed (its signature state says "sin firma").
/// </summary>
internal static class SiiSchemaValidator
{
    public static List<SchemaFinding> Validate(XElement element, Func<XElement, bool>? skipContent, int maxFindings)
    {
        // The fast pass only counts; a failing element is walked again, slower, to explain what the schema expected.
        var findings = new Walk(element, skipContent, explain: false, maxFindings).Run();
        return findings.Count == 0 ? findings : new Walk(element, skipContent, explain: true, maxFindings).Run();
    }

    // Elements whose schema ends with a mandatory ds:Signature.
    private static readonly HashSet<string> SignedContainers = ["DTE", "EnvioDTE", "EnvioBOLETA", "Cesion"];

    private sealed class Walk(XElement root, Func<XElement, bool>? skipContent, bool explain, int maxFindings)
    {
        private readonly List<SchemaFinding> _findings = [];
        private readonly ScopeResolver _scope = new();
        private readonly LineInfo _line = new();
        private XmlSchemaValidator _validator = null!;
        private XElement _current = null!;
        private string _problem = "";

        public List<SchemaFinding> Run()
        {
            _validator = new XmlSchemaValidator(new NameTable(), SiiSchemas.Set, _scope, XmlSchemaValidationFlags.None)
            {
                LineInfoProvider = _line,
            };
            _validator.ValidationEventHandler += (_, e) =>
            {
                if (_findings.Count < maxFindings && e.Severity == XmlSeverityType.Error)
                {
                    _findings.Add(new SchemaFinding(_current.PathFrom(root) is { Length: > 0 } p ? $"{root.Name.LocalName}/{p}" : root.Name.LocalName,
                        _current.Line(), _problem));
                }
            };
            _validator.Initialize();
            _current = root;
            Element(root);
            _validator.EndValidation();
            return _findings;
        }

        private void Element(XElement e)
        {
            _current = e;
            _scope.Current = e;
            _line.Set(e);
            var ns = e.Name.NamespaceName.Length == 0 ? SiiXml.Namespace : e.Name.NamespaceName;
            // Only the explaining pass needs the schema type of a failing element.
            var info = explain ? new XmlSchemaInfo() : null;
            _problem = explain ? UnexpectedElement(e) : "";
            _validator.ValidateElement(e.Name.LocalName, ns, info);
            foreach (var attribute in e.Attributes())
            {
                if (attribute.IsNamespaceDeclaration)
                {
                    continue;
                }
                _problem = explain ? $"el atributo «{attribute.Name.LocalName}» con el valor «{Short(attribute.Value)}» no es válido aquí" : "";
                _validator.ValidateAttribute(attribute.Name.LocalName, attribute.Name.NamespaceName, attribute.Value, null);
            }
            _problem = explain ? MissingAttributes() : "";
            _validator.ValidateEndOfAttributes(null);
            if (skipContent?.Invoke(e) == true)
            {
                _validator.SkipToEndElement(null);
                return;
            }
            foreach (var node in e.Nodes())
            {
                switch (node)
                {
                    case XElement child:
                        Element(child);
                        _current = e;
                        _scope.Current = e;
                        _line.Set(e);
                        break;
                    case XText text when string.IsNullOrWhiteSpace(text.Value):
                        _validator.ValidateWhitespace(text.Value);
                        break;
                    case XText text:
                        _problem = explain ? $"«{e.Name.LocalName}» no admite texto, solo otros elementos" : "";
                        _validator.ValidateText(text.Value);
                        break;
                }
            }
            var expected = explain || (e.Signature() is null && SignedContainers.Contains(e.Name.LocalName)) ? Expected() : [];
            if (expected.Length > 0 && expected.All(IsSignature) && e.Signature() is null)
            {
                // Unsigned: said by the signature state, not as a schema error.
                _validator.SkipToEndElement(null);
                return;
            }
            _problem = !explain ? ""
                : expected.Length > 0
                    ? $"a «{e.Name.LocalName}» le falta {Names(expected)}"
                    : $"«{Short(e.Value)}» no es un valor válido para «{e.Name.LocalName}»{SchemaHints.Describe(info?.SchemaType)}";
            _validator.ValidateEndElement(null);
        }

        private string UnexpectedElement(XElement e)
        {
            var expected = Expected();
            return expected.Length == 0
                ? $"el elemento «{e.Name.LocalName}» no corresponde aquí"
                : $"el elemento «{e.Name.LocalName}» no corresponde aquí; se esperaba {Names(expected)}";
        }

        private string MissingAttributes()
        {
            var required = _validator.GetExpectedAttributes().Where(a => a.Use == XmlSchemaUse.Required).Select(a => $"«{a.QualifiedName.Name}»").ToList();
            return required.Count == 0 ? "faltan atributos obligatorios" : $"falta el atributo {string.Join(", ", required)}";
        }

        private XmlSchemaElement[] Expected() => _validator.GetExpectedParticles().OfType<XmlSchemaElement>().ToArray();

        private static bool IsSignature(XmlSchemaElement e) => e.QualifiedName.Name == "Signature" && e.QualifiedName.Namespace == SiiXml.DsigNamespace;

        private static string Names(XmlSchemaElement[] elements) =>
            string.Join(" o ", elements.Select(e => $"«{e.QualifiedName.Name}»").Distinct().Take(6));

        private static string Short(string value)
        {
            var trimmed = value.Trim();
            return trimmed.Length <= 40 ? trimmed : trimmed[..40] + "…";
        }
    }

    private sealed class LineInfo : IXmlLineInfo
    {
        public int LineNumber { get; private set; }
        public int LinePosition { get; private set; }

        public bool HasLineInfo() => LineNumber > 0;

        public void Set(XObject node)
        {
            var info = (IXmlLineInfo)node;
            LineNumber = info.LineNumber;
            LinePosition = info.LinePosition;
        }
    }

    /// <summary>Namespaces in scope at the element being validated (the schema only needs them for QName values).</summary>
    private sealed class ScopeResolver : IXmlNamespaceResolver
    {
        public XElement? Current { get; set; }

        public IDictionary<string, string> GetNamespacesInScope(XmlNamespaceScope scope)
        {
            var result = new Dictionary<string, string>();
            for (var e = Current; e is not null; e = e.Parent)
            {
                foreach (var a in e.Attributes().Where(a => a.IsNamespaceDeclaration))
                {
                    result.TryAdd(a.Name.NamespaceName.Length == 0 ? "" : a.Name.LocalName, a.Value);
                }
            }
            return result;
        }

        public string? LookupNamespace(string prefix) =>
            prefix.Length == 0 ? Current?.GetDefaultNamespace().NamespaceName : Current?.GetNamespaceOfPrefix(prefix)?.NamespaceName;

        public string? LookupPrefix(string namespaceName) => Current?.GetPrefixOfNamespace(namespaceName);
    }
}
