using System.Text;
using Abono.Web.Features.Documents.Dte;

namespace Abono.Tests.Documents.Dte;

public class DteSignatureTests
{
    private static readonly DteTestSigner Signer = DteTestSigner.Shared;

    private static DteDocument ReadOne(byte[] file) => Assert.Single(DteAssert.Read(file).Documents);

    private static byte[] Replace(byte[] file, string from, string to, Encoding? encoding = null)
    {
        encoding ??= DteXmlBuilder.Latin1;
        var text = encoding.GetString(file);
        Assert.Contains(from, text);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return encoding.GetBytes(string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length)));
    }

    [Fact]
    public void A_document_signed_like_the_sii_does_is_valid()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte(), signer: Signer));

        Assert.Equal(DteSignatureState.Valid, document.Signature.State);
        Assert.Equal("Firma válida: el documento no cambió desde que se firmó.", document.Signature.Message);
        Assert.Contains("Juan Pérez Cotapos", document.Signature.Signer);
        Assert.Empty(document.Issues);
    }

    [Fact]
    public void Changing_one_byte_of_an_amount_after_signing_makes_it_invalid()
    {
        var signed = DteXmlBuilder.Dte(new TestDte { Lines = [new("Harina tostada 25 kg", 10, 18_500), new("Flete", 1, 15_000, Exempt: true)] }, signer: Signer);
        var at = DteXmlBuilder.Latin1.GetString(signed).IndexOf("<MntExe>15000</MntExe>", StringComparison.Ordinal) + "<MntExe>".Length;
        var tampered = (byte[])signed.Clone();
        tampered[at] = (byte)'2'; // 15000 -> 25000
        Assert.Equal(1, signed.Zip(tampered).Count(p => p.First != p.Second));

        var document = ReadOne(tampered);

        Assert.Equal(25_000, document.Totales.MntExe);
        Assert.Equal(DteSignatureState.Invalid, document.Signature.State);
        Assert.Equal("El documento fue modificado después de firmarlo.", document.Signature.Message);
        var issue = Assert.Single(document.Issues, i => i.Code == DteIssueCodes.SignatureInvalid);
        Assert.Equal("Factura 1234: el documento fue modificado después de firmarlo.", issue.Message);
        Assert.False(issue.IsError);
    }

    [Fact]
    public void A_document_without_signature_is_unsigned_and_that_is_no_issue()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte()));

        Assert.Equal(DteSignatureState.Unsigned, document.Signature.State);
        Assert.Equal("Sin firma.", document.Signature.Message);
        Assert.Empty(document.Issues);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Signatures_hold_in_either_encoding_and_namespace_and_with_windows_line_ends(bool ns, bool crlf)
    {
        foreach (var encoding in new[] { DteXmlBuilder.Latin1, DteXmlBuilder.Utf8 })
        {
            var text = DteXmlBuilder.DteText(new TestDte { RznSocRecep = "Almacén Doña Rosa & Cía." }, ns, Signer);
            var file = DteXmlBuilder.File(crlf ? text.Replace("\n", "\r\n") : text, encoding);

            Assert.Equal(DteSignatureState.Valid, ReadOne(file).Signature.State);
        }
    }

    [Fact]
    public void Documents_signed_alone_stay_valid_inside_an_envelope_that_declares_more_namespaces()
    {
        var documents = new[] { new TestDte { Folio = 1 }, new TestDte { Folio = 2, Tipo = 34, Lines = [new("Servicio", 1, 9_990)] } };

        foreach (var inherit in new[] { false, true })
        {
            var result = DteAssert.Read(DteXmlBuilder.Envio(documents, signer: Signer, signEnvelope: true, inheritNamespace: inherit));

            DteAssert.Spotless(result);
            Assert.All(result.Documents, d => Assert.Equal(DteSignatureState.Valid, d.Signature.State));
            Assert.Equal(DteSignatureState.Valid, result.EnvelopeSignature.State);
        }
    }

    [Fact]
    public void Changing_a_document_inside_a_signed_envelope_invalidates_that_document_and_the_envelope_only()
    {
        var documents = new[] { new TestDte { Folio = 1 }, new TestDte { Folio = 2, RznSocRecep = "Ferretería Los Andes" } };
        var file = Replace(DteXmlBuilder.Envio(documents, signer: Signer, signEnvelope: true), "<RznSocRecep>Ferretería Los Andes", "<RznSocRecep>Ferretería Los Andez");

        var result = DteAssert.Read(file);

        Assert.Equal(new[] { DteSignatureState.Valid, DteSignatureState.Invalid }, result.Documents.Select(d => d.Signature.State));
        Assert.Equal(DteSignatureState.Invalid, result.EnvelopeSignature.State);
        Assert.Contains(result.Issues, i => i.Message == "EnvioDTE: el documento fue modificado después de firmarlo.");
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_signature_with_only_the_certificate_or_only_the_key_value_is_checked(bool keyValue, bool certificate)
    {
        var text = DteXmlBuilder.DteText(new TestDte());
        var signed = Signer.Sign(text, "F1234T33", includeKeyValue: keyValue, includeCertificate: certificate);

        var document = ReadOne(DteXmlBuilder.File(signed, DteXmlBuilder.Latin1));

        Assert.Equal(DteSignatureState.Valid, document.Signature.State);
        Assert.Equal(certificate, document.Signature.Signer is not null);
    }

    [Fact]
    public void Documents_signed_with_different_certificates_are_each_checked_with_their_own_key()
    {
        using var other = new DteTestSigner("María Fernández Soto", 1024);
        var first = DteXmlBuilder.Dte(new TestDte { Folio = 1 }, signer: Signer);
        var second = DteXmlBuilder.Dte(new TestDte { Folio = 2 }, signer: other);
        // The second document carrying the first one's KeyInfo: its key (cached by now) cannot verify the second's signature.
        static string KeyInfo(byte[] file) => System.Text.RegularExpressions.Regex.Match(DteXmlBuilder.Latin1.GetString(file), "<KeyInfo>.*?</KeyInfo>").Value;
        var forged = Replace(second, KeyInfo(second), KeyInfo(first));

        var checks = new[] { first, second, first, forged }.Select(f => ReadOne(f).Signature).ToList();

        Assert.Equal(new[] { DteSignatureState.Valid, DteSignatureState.Valid, DteSignatureState.Valid, DteSignatureState.Invalid }, checks.Select(c => c.State));
        Assert.Contains("Juan Pérez Cotapos", checks[0].Signer);
        Assert.Contains("María Fernández Soto", checks[1].Signer);
        Assert.Equal("El documento fue modificado después de firmarlo.", checks[3].Message);
    }

    [Fact]
    public void A_certificate_swapped_for_another_is_an_invalid_signature()
    {
        using var other = new DteTestSigner("Otra Persona", 1024);
        var file = DteXmlBuilder.Dte(new TestDte(), signer: Signer);
        var text = DteXmlBuilder.Latin1.GetString(file);
        var certificate = System.Text.RegularExpressions.Regex.Match(text, "<X509Certificate>(.*?)</X509Certificate>").Groups[1].Value;

        var document = ReadOne(Replace(file, certificate, Convert.ToBase64String(other.Certificate.RawData)));

        Assert.Equal(DteSignatureState.Invalid, document.Signature.State);
        Assert.Equal("La clave de la firma no coincide con su certificado: la firma fue alterada.", document.Signature.Message);
    }

    [Fact]
    public void A_signature_over_another_element_does_not_vouch_for_this_document()
    {
        var file = Replace(DteXmlBuilder.Dte(new TestDte(), signer: Signer), "<Documento ID=\"F1234T33\">", "<Documento ID=\"F9999T33\">");

        var document = ReadOne(file);

        Assert.Equal(DteSignatureState.Invalid, document.Signature.State);
        Assert.Equal("La firma no corresponde a este documento (cubre otro elemento).", document.Signature.Message);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("trap")]
    public void A_signature_referencing_an_outside_uri_is_not_verified_and_nothing_is_fetched(string uri)
    {
        using var trap = new LoopbackTrap();
        var target = uri == "trap" ? trap.Url : uri;
        var file = Replace(DteXmlBuilder.Dte(new TestDte(), signer: Signer), "URI=\"#F1234T33\"", $"URI=\"{target}\"");

        var document = ReadOne(file);

        Assert.Equal(DteSignatureState.NotVerifiable, document.Signature.State);
        Assert.Equal("La firma no se pudo verificar: la firma apunta a un recurso externo, que no se consulta.", document.Signature.Message);
        Assert.Equal(0, trap.Connections);
    }

    [Fact]
    public void A_malformed_signature_is_not_verifiable_rather_than_a_crash()
    {
        var file = Replace(DteXmlBuilder.Dte(new TestDte(), signer: Signer), "<SignedInfo>", "<SignedInfo><Garbage/>");

        var document = ReadOne(file);

        Assert.Equal(DteSignatureState.NotVerifiable, document.Signature.State);
        Assert.Contains(document.Issues, i => i.Code == DteIssueCodes.SignatureUnverifiable);
    }
}
