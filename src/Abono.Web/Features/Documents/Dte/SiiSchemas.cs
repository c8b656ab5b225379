using System.Xml;
using System.Xml.Schema;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// The SII's XSDs, unmodified copies embedded in the assembly (Schemas/), compiled once. Their includes and imports
/// are served by <see cref="EmbeddedOnlyResolver"/> from those copies: the validator never reaches the network or disk.
/// AEC_v10.xsd and DTECedido_v10.xsd are not shipped: they include Recibos_v10.xsd, which the SII's cesión package does
/// not carry, so an AEC is validated piece by piece (its DTE with DTE_v10, each Cesion with Cesion_v10).
/// </summary>
internal static class SiiSchemas
{
    private const string ResourcePrefix = "Abono.Dte.Schemas.";
    private const string BaseUri = "sii-embedded://schemas/";

    private static readonly Lazy<XmlSchemaSet> Compiled = new(Compile, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Global elements DTE, EnvioDTE, Cesion and ds:Signature. Read-only once compiled; shared by validators.</summary>
    public static XmlSchemaSet Set => Compiled.Value;

    public static IReadOnlyList<string> FileNames { get; } =
        ["DTE_v10.xsd", "EnvioDTE_v10.xsd", "Cesion_v10.xsd", "SiiTypes_v10.xsd", "xmldsignature_v10.xsd"];

    public static Stream Open(string fileName) =>
        typeof(SiiSchemas).Assembly.GetManifestResourceStream(ResourcePrefix + fileName)
        ?? throw new InvalidOperationException($"Embedded SII schema {fileName} is missing.");

    private static XmlSchemaSet Compile()
    {
        var set = new XmlSchemaSet { XmlResolver = new EmbeddedOnlyResolver() };
        var errors = new List<string>();
        set.ValidationEventHandler += (_, e) => errors.Add(e.Message);
        foreach (var root in new[] { "EnvioDTE_v10.xsd", "Cesion_v10.xsd" })
        {
            using var reader = XmlReader.Create(Open(root), SafeXml.Settings(int.MaxValue), BaseUri + root);
            set.Add(null, reader);
        }
        set.Compile();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The SII schemas did not compile: " + string.Join("; ", errors));
        }
        return set;
    }

    /// <summary>Serves schemaLocation="X.xsd" from the embedded copies, and refuses anything else.</summary>
    private sealed class EmbeddedOnlyResolver : XmlResolver
    {
        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            var name = absoluteUri.Segments.LastOrDefault() ?? "";
            if (absoluteUri.AbsoluteUri.StartsWith(BaseUri, StringComparison.Ordinal) && FileNames.Contains(name))
            {
                return Open(name);
            }
            throw new XmlException($"Refused to resolve {absoluteUri}: only the embedded SII schemas are served.");
        }
    }
}
