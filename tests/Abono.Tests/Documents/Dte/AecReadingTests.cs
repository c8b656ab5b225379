using Abono.Web.Features.Documents.Dte;

namespace Abono.Tests.Documents.Dte;

public class AecReadingTests
{
    private const string Emisor = "76086428-5";
    private const string FactoringAndes = "96512345-8";
    private const string CapitalSur = "76111222-8";

    private static readonly TestDte Factura = new() { Folio = 4521 };

    private static readonly TestCesion First = new(1, Emisor, "Comercial Demo SpA", FactoringAndes, "Factoring Andes S.A.", 220_150);

    private static readonly TestCesion Second = new(2, FactoringAndes, "Factoring Andes S.A.", CapitalSur, "Capital Sur Factoring SpA", 220_150)
    {
        TmstCesion = new DateTime(2026, 11, 20, 16, 0, 0),
    };

    private static DteFileResult Read(TestDte ceded, params TestCesion[] cesiones) =>
        DteAssert.Read(DteXmlBuilder.Aec(ceded, cesiones, DteTestSigner.Shared), "cesion.xml");

    [Fact]
    public void An_aec_with_one_cesion_names_the_factoring_company_as_owner()
    {
        var result = Read(Factura, First);

        DteAssert.Spotless(result);
        Assert.Equal(DteFileKind.Aec, result.Kind);
        var aec = Assert.IsType<DteAec>(result.Aec);
        Assert.Same(result.Documents.Single(), aec.CededDocument);
        Assert.Equal("Factura 4521", aec.CededDocument.Label);
        Assert.Equal(1, aec.CurrentCesion!.SeqCesion);
        Assert.Equal("Factoring Andes S.A. (96.512.345-8)", aec.CurrentOwner!.Display);
        Assert.Equal(220_150, aec.CurrentCesion.MontoCesion);
        Assert.Equal(new DateOnly(2026, 12, 2), aec.CurrentCesion.UltimoVencimiento);
        Assert.Equal(new DateTime(2026, 11, 5, 9, 30, 0), aec.CurrentCesion.TmstCesion);
        Assert.Equal(new DteCesionDocumentId(33, Emisor, "77123456-9", 4521, new DateOnly(2026, 11, 2), 220_150), aec.CurrentCesion.IdDte);
    }

    [Fact]
    public void An_aec_with_two_cesiones_names_the_one_with_seq_2_as_current_owner()
    {
        var result = Read(Factura, First, Second);

        DteAssert.Spotless(result);
        var aec = result.Aec!;
        Assert.Equal(new int?[] { 1, 2 }, aec.Cesiones.Select(c => c.SeqCesion));
        Assert.Equal(2, aec.CurrentCesion!.SeqCesion);
        Assert.Equal(CapitalSur, aec.CurrentOwner!.Rut!.Value.Normalized);
        Assert.Equal("Capital Sur Factoring SpA", aec.CurrentOwner.RazonSocial);
        Assert.Equal("Factoring Andes S.A.", aec.CurrentCesion.Cedente.RazonSocial);
    }

    [Fact]
    public void The_highest_seq_is_the_owner_whatever_the_order_in_the_file()
    {
        var aec = Read(Factura, Second, First).Aec!;

        Assert.Equal(new int?[] { 2, 1 }, aec.Cesiones.Select(c => c.SeqCesion));
        Assert.Equal(CapitalSur, aec.CurrentOwner!.Rut!.Value.Normalized);
    }

    [Fact]
    public void Every_signature_of_an_aec_is_checked()
    {
        var result = Read(Factura, First, Second);

        Assert.Equal(DteSignatureState.Valid, result.Documents.Single().Signature.State);
        Assert.All(result.Aec!.Cesiones, c => Assert.Equal(DteSignatureState.Valid, c.Signature.State));
        Assert.Equal(DteSignatureState.Valid, result.Aec.Signature.State);
        Assert.All(result.Aec.Cesiones, c => Assert.Equal(DteSchemaCheck.Valid, c.Schema));
        Assert.Equal(DteSchemaCheck.Valid, result.Documents.Single().Schema);
    }

    [Fact]
    public void A_cesionario_changed_after_signing_breaks_that_cesions_signature()
    {
        var file = DteXmlBuilder.Aec(Factura, [First, Second], DteTestSigner.Shared);
        var text = DteXmlBuilder.Latin1.GetString(file);
        var at = text.LastIndexOf("<RazonSocial>Capital Sur Factoring SpA", StringComparison.Ordinal);
        var tampered = DteXmlBuilder.Latin1.GetBytes(text.Remove(at, 38).Insert(at, "<RazonSocial>Capital Sur Factoring SpX"));

        var aec = DteAssert.Read(tampered).Aec!;

        Assert.Equal(DteSignatureState.Valid, aec.Cesiones[0].Signature.State);
        Assert.Equal(DteSignatureState.Invalid, aec.Cesiones[1].Signature.State);
        Assert.Contains(aec.Cesiones[1].Issues, i => i.Message == "Factura 4521, cesión 2: el documento fue modificado después de firmarlo.");
    }

    [Fact]
    public void An_aec_without_namespace_in_utf8_is_read()
    {
        var result = DteAssert.Read(DteXmlBuilder.Aec(Factura, [First], DteTestSigner.Shared, DteXmlBuilder.Utf8, ns: false));

        DteAssert.Spotless(result);
        Assert.False(result.HasSiiNamespace);
        Assert.Equal("Factoring Andes S.A.", result.Aec!.CurrentOwner!.RazonSocial);
    }

    [Fact]
    public void A_cesion_of_another_folio_is_an_error()
    {
        var result = Read(Factura, First with { FolioOverride = 4522 });

        var issue = Assert.Single(result.Aec!.Cesiones.Single().Issues);
        Assert.Equal(DteIssueCodes.CesionMismatch, issue.Code);
        Assert.Equal("Factura 4521, cesión 1: la cesión identifica la Factura 4522 del RUT 76.086.428-5, pero el AEC trae la Factura 4521 del RUT 76.086.428-5.", issue.Message);
    }

    [Fact]
    public void A_cesion_of_more_than_the_document_is_worth_is_an_error()
    {
        var result = Read(Factura, First with { Monto = 300_000 });

        var issue = Assert.Single(result.Aec!.Cesiones.Single().Issues);
        Assert.Equal("Factura 4521, cesión 1: el monto cedido ($300.000) supera el total del documento ($220.150).", issue.Message);
    }

    [Fact]
    public void A_chain_where_the_cedente_is_not_the_previous_cesionario_is_flagged()
    {
        var result = Read(Factura, First, Second with { CedenteRut = CapitalSur, CedenteNombre = "Capital Sur Factoring SpA" });

        var issue = Assert.Single(result.Aec!.Cesiones[1].Issues);
        Assert.False(issue.IsError);
        Assert.Equal("Factura 4521, cesión 2: el cedente (76.111.222-8) no es el cesionario de la cesión anterior (96.512.345-8).", issue.Message);
    }

    [Fact]
    public void Two_cesiones_with_the_same_seq_are_an_error()
    {
        var result = Read(Factura, First, Second with { Seq = 1 });

        Assert.Contains(result.Aec!.Cesiones.SelectMany(c => c.Issues), i => i.Code == DteIssueCodes.CesionSequence && i.IsError);
    }
}
