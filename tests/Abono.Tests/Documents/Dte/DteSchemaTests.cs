using Abono.Web.Features.Documents.Dte;

namespace Abono.Tests.Documents.Dte;

public class DteSchemaTests
{
    public static TheoryData<int, bool, bool> Kinds => new()
    {
        { 33, true, true }, { 33, false, true }, { 33, true, false }, { 34, true, true }, { 56, false, true }, { 61, true, true },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_document_written_from_the_sii_schema_validates_against_it(int tipo, bool ns, bool signed)
    {
        var dte = new TestDte
        {
            Tipo = tipo,
            Lines = tipo == 34 ? [new("Servicio exento", 1, 50_000)] : [new("Harina tostada 25 kg", 10, 18_500), new("Despacho", 1, 5_000, Exempt: true)],
            References = tipo is 56 or 61 ? [new("33", "1200", new DateOnly(2026, 10, 30), 3, "Corrige montos")] : [],
            Pagos = tipo == 33 ? [(new DateOnly(2026, 12, 2), 100_000), (new DateOnly(2027, 1, 2), 125_150)] : [],
        };

        var result = DteAssert.Read(DteXmlBuilder.Dte(dte, ns: ns, signer: signed ? DteTestSigner.Shared : null));

        DteAssert.Spotless(result);
        Assert.Equal(DteSchemaCheck.Valid, result.Documents.Single().Schema);
    }

    [Fact]
    public void An_envio_dte_validates_its_envelope_and_each_document()
    {
        var documents = new[] { new TestDte { Folio = 1 }, new TestDte { Folio = 2 }, new TestDte { Tipo = 34, Folio = 3 } };

        var result = DteAssert.Read(DteXmlBuilder.Envio(documents, signer: DteTestSigner.Shared, signEnvelope: true));

        DteAssert.Spotless(result);
        Assert.All(result.Documents, d => Assert.Equal(DteSchemaCheck.Valid, d.Schema));
    }

    [Fact]
    public void A_schema_error_names_the_document_the_element_and_its_line_in_spanish()
    {
        var longName = new string('x', 101);
        var file = DteXmlBuilder.Dte(new TestDte { RznSoc = longName });
        var line = DteXmlBuilder.Latin1.GetString(file).Split('\n').ToList().FindIndex(l => l.Contains("<RznSoc>")) + 1;

        var document = Assert.Single(DteAssert.Read(file).Documents);

        Assert.Equal(DteSchemaCheck.Invalid, document.Schema);
        var issue = Assert.Single(document.Issues, i => i.Code == DteIssueCodes.Schema);
        Assert.False(issue.IsError);
        Assert.Equal($"Factura 1234: no cumple el esquema del SII en DTE/Documento/Encabezado/Emisor/RznSoc (línea {line}): «{new string('x', 40)}…» no es un valor válido para «RznSoc»; debe tener hasta 100 caracteres.", issue.Message);
        Assert.Equal(line, issue.Line);
        Assert.Equal("DTE/Documento/Encabezado/Emisor/RznSoc", issue.Path);
    }

    [Fact]
    public void A_missing_element_says_what_the_schema_expected()
    {
        var text = DteXmlBuilder.DteText(new TestDte(), ns: false);
        var file = DteXmlBuilder.File(System.Text.RegularExpressions.Regex.Replace(text, @"\s*<GiroEmis>.*?</GiroEmis>", ""), DteXmlBuilder.Latin1);

        var issue = Assert.Single(DteAssert.Read(file).Documents.Single().Issues, i => i.Code == DteIssueCodes.Schema);

        Assert.Contains("en DTE/Documento/Encabezado/Emisor/Acteco", issue.Message);
        Assert.EndsWith("el elemento «Acteco» no corresponde aquí; se esperaba «GiroEmis».", issue.Message);
    }

    [Fact]
    public void A_wrong_type_code_lists_the_codes_the_schema_accepts()
    {
        var issue = Assert.Single(DteAssert.Read(DteXmlBuilder.Dte(new TestDte { Tipo = 99 })).Documents.Single().Issues, i => i.Code == DteIssueCodes.Schema
            && i.Path == "DTE/Documento/Encabezado/IdDoc/TipoDTE");

        Assert.EndsWith("«99» no es un valor válido para «TipoDTE»; debe ser uno de: 33, 34, 46, 52, 56, 61.", issue.Message);
    }

    [Fact]
    public void Enforced_schema_findings_are_errors()
    {
        var reader = new DteFileReader(new DteReaderOptions { SchemaValidation = DteSchemaValidation.Enforce });

        var document = reader.Read(DteXmlBuilder.Dte(new TestDte { RznSoc = new string('x', 101) }), "f.xml").Documents.Single();

        Assert.True(Assert.Single(document.Issues, i => i.Code == DteIssueCodes.Schema).IsError);
    }

    [Fact]
    public void Schema_validation_can_be_turned_off()
    {
        var reader = new DteFileReader(new DteReaderOptions { SchemaValidation = DteSchemaValidation.Off });

        var document = reader.Read(DteXmlBuilder.Dte(new TestDte { RznSoc = new string('x', 101) }), "f.xml").Documents.Single();

        Assert.Equal(DteSchemaCheck.NotChecked, document.Schema);
        Assert.Empty(document.Issues);
    }

    [Fact]
    public void An_unsigned_document_is_not_a_schema_error()
    {
        var document = DteAssert.Read(DteXmlBuilder.Dte(new TestDte())).Documents.Single();

        Assert.Equal(DteSchemaCheck.Valid, document.Schema);
        Assert.Equal(DteSignatureState.Unsigned, document.Signature.State);
    }

    [Fact]
    public void Each_document_of_an_envelope_gets_its_own_schema_findings()
    {
        var documents = new[] { new TestDte { Folio = 1 }, new TestDte { Folio = 2, RznSoc = new string('y', 120) }, new TestDte { Folio = 3 } };

        var result = DteAssert.Read(DteXmlBuilder.Envio(documents));

        Assert.Equal(new[] { DteSchemaCheck.Valid, DteSchemaCheck.Invalid, DteSchemaCheck.Valid }, result.Documents.Select(d => d.Schema));
        Assert.StartsWith("Factura 2: no cumple el esquema", Assert.Single(result.Documents[1].Issues).Message);
        Assert.Empty(result.Issues);
    }

    [Fact]
    public void The_embedded_schemas_are_unmodified_copies_of_the_sii_files()
    {
        foreach (var name in SiiSchemas.FileNames)
        {
            using var embedded = SiiSchemas.Open(name);
            using var copy = new MemoryStream();
            embedded.CopyTo(copy);
            var reference = ReferenceSchema(name);
            if (reference is not null)
            {
                Assert.True(copy.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(reference)), $"{name} differs from {reference}");
            }
            if (name == "EnvioDTE_v10.xsd")
            {
                Assert.Contains((byte)0xE1, copy.ToArray()); // the "á" of "máximo", one ISO-8859-1 byte: no re-encoding
            }
        }
        Assert.True(SiiSchemas.Set.IsCompiled);
        Assert.Contains(new System.Xml.XmlQualifiedName("DTE", DteXmlBuilder.SiiNamespace), SiiSchemas.Set.GlobalElements.Names.Cast<System.Xml.XmlQualifiedName>());
    }

    // The shared reference folder sits beside the repository (on CI too); without it only the embedded copies are checked.
    private static string? ReferenceSchema(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "sii-schemas", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
