using System.Text;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Documents.Dte;

namespace Abono.Tests.Documents.Dte;

public class DteReadingTests
{
    [Fact]
    public void An_iso_8859_1_factura_without_namespace_is_read()
    {
        var file = DteXmlBuilder.Dte(new TestDte(), DteXmlBuilder.Latin1, ns: false);
        Assert.Contains((byte)0xF1, file); // the "ñ" of Doña, one byte in ISO-8859-1

        var result = DteAssert.Read(file);

        var document = DteAssert.Single(result);
        Assert.Equal(DteFileKind.Dte, result.Kind);
        Assert.Equal("ISO-8859-1", result.Encoding);
        Assert.False(result.HasSiiNamespace);
        Assert.Equal(33, document.TipoDte);
        Assert.Equal(DocumentType.Factura, document.DocumentType);
        Assert.Equal(1234, document.Folio);
        Assert.Equal("Factura 1234", document.Label);
        Assert.Equal(new DateOnly(2026, 11, 2), document.FchEmis);
        Assert.Equal(DtePaymentForm.Credito, document.FmaPago);
        Assert.Equal("76086428-5", document.Emisor.Rut?.Normalized);
        Assert.Equal("Comercial Demo SpA", document.Emisor.RznSoc);
        Assert.Equal("Almacén Doña Rosa", document.Receptor.RznSocRecep);
        Assert.Equal("77123456-9", document.Receptor.Rut?.Normalized);
    }

    [Fact]
    public void A_utf8_factura_with_namespace_is_read_with_its_totals_lines_and_receptor_contact()
    {
        var dte = new TestDte
        {
            Lines = [new("Harina tostada 25 kg", 10, 18_500), new("Flete a Ñuñoa", 1, 15_000, Exempt: true)],
        };
        var document = DteAssert.Single(DteAssert.Read(DteXmlBuilder.Dte(dte, DteXmlBuilder.Utf8)));

        var totals = document.Totales;
        Assert.Equal((185_000L, 15_000L, 19m, 35_150L, 235_150L), (totals.MntNeto!.Value, totals.MntExe!.Value, totals.TasaIVA!.Value, totals.IVA!.Value, totals.MntTotal!.Value));
        Assert.Empty(totals.ImptoReten);
        Assert.Null(totals.IVANoRet);
        Assert.Collection(document.Detalle,
            l => Assert.Equal(new DteLine(1, "Harina tostada 25 kg", null, 10m, null, 18_500m, 185_000, null), l),
            l => Assert.Equal(new DteLine(2, "Flete a Ñuñoa", null, 1m, null, 15_000m, 15_000, 1), l));
        Assert.Equal("compras@donarosa.cl", document.Receptor.Email);
        Assert.Equal("+56987654321", document.Receptor.Phone);
        Assert.Equal("Ñuñoa", document.Receptor.CmnaRecep);
    }

    [Fact]
    public void A_windows_1252_file_is_read_with_its_accents()
    {
        var file = DteXmlBuilder.File(DteXmlBuilder.DteText(new TestDte { RznSocRecep = "Panadería El Güero" }), CodePages.Windows1252);

        var result = DteAssert.Read(file);

        Assert.Equal("windows-1252", result.Encoding);
        Assert.Equal("Panadería El Güero", DteAssert.Single(result).Receptor.RznSocRecep);
    }

    [Fact]
    public void A_utf16_file_with_its_byte_order_mark_is_read()
    {
        var encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        var file = encoding.GetPreamble().Concat(encoding.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + DteXmlBuilder.DteText(new TestDte()))).ToArray();

        var document = DteAssert.Single(DteAssert.Read(file));

        Assert.Equal("Almacén Doña Rosa", document.Receptor.RznSocRecep);
        Assert.Equal(encoding.GetString(file, document.ByteOffset, document.OriginalXml.Length), document.OriginalText);
    }

    [Fact]
    public void A_file_without_declaration_in_latin1_is_read_as_windows_1252_with_a_warning()
    {
        var file = DteXmlBuilder.Latin1.GetBytes(DteXmlBuilder.DteText(new TestDte()));

        var result = DteAssert.Read(file);

        Assert.Equal("Almacén Doña Rosa", DteAssert.Single(result).Receptor.RznSocRecep);
        Assert.Contains(result.Issues, i => i.Code == DteIssueCodes.Encoding && !i.IsError);
    }

    [Fact]
    public void A_file_declaring_utf8_with_latin1_bytes_is_refused_with_a_clear_message()
    {
        var file = DteXmlBuilder.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + DteXmlBuilder.DteText(new TestDte()));

        var result = DteAssert.Read(file);

        var error = Assert.Single(result.Errors);
        Assert.Equal(DteIssueCodes.Encoding, error.Code);
        Assert.Contains("UTF-8", error.Message);
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void An_envio_dte_yields_every_document_with_its_exact_original_bytes()
    {
        var documents = new[]
        {
            new TestDte { Tipo = 33, Folio = 501 },
            new TestDte { Tipo = 34, Folio = 77, Lines = [new("Asesoría contable noviembre", 1, 450_000)] },
            new TestDte { Tipo = 61, Folio = 12, References = [new("33", "501", new DateOnly(2026, 11, 2), 3, "Descuento por volumen")] },
            new TestDte { Tipo = 56, Folio = 3, References = [new("33", "501", new DateOnly(2026, 11, 2), 3, "Intereses por mora")] },
        };
        var file = DteXmlBuilder.Envio(documents, DteXmlBuilder.Latin1, comments: true);

        var result = DteAssert.Read(file, "envio.xml");

        DteAssert.Clean(result);
        Assert.Equal(DteFileKind.EnvioDte, result.Kind);
        Assert.Equal(new[] { 33, 34, 61, 56 }, result.Documents.Select(d => d.TipoDte!.Value));
        Assert.Equal(new[] { 1, 2, 3, 4 }, result.Documents.Select(d => d.Index));
        var text = DteXmlBuilder.Latin1.GetString(file);
        var expected = ElementTexts(text, "DTE");
        for (var i = 0; i < documents.Length; i++)
        {
            var document = result.Documents[i];
            Assert.Equal(expected[i], document.OriginalText);
            Assert.Equal(DteXmlBuilder.Latin1.GetBytes(expected[i]), document.OriginalXml.ToArray());
            Assert.Equal(file.AsSpan(document.ByteOffset, document.OriginalXml.Length).ToArray(), document.OriginalXml.ToArray());
            Assert.Equal("ISO-8859-1", document.SourceEncoding);
        }
        Assert.Equal(file, result.Content.ToArray());
    }

    [Fact]
    public void Original_bytes_are_exact_in_utf8_with_multibyte_characters_and_crlf_line_ends()
    {
        var documents = new[] { new TestDte { Folio = 1, RznSocRecep = "Ñandú Añejo Limitada" }, new TestDte { Folio = 2 } };
        var text = DteXmlBuilder.EnvioText(documents).Replace("\n", "\r\n");
        var file = DteXmlBuilder.File(text, DteXmlBuilder.Utf8);

        var result = DteAssert.Read(file);

        DteAssert.Clean(result);
        var expected = ElementTexts(DteXmlBuilder.Utf8.GetString(file), "DTE");
        Assert.Equal(expected, result.Documents.Select(d => d.OriginalText));
        Assert.All(result.Documents, d => Assert.Equal(DteXmlBuilder.Utf8.GetBytes(d.OriginalText), d.OriginalXml.ToArray()));
        Assert.Contains("\r\n", result.Documents[0].OriginalText);
    }

    [Fact]
    public void A_single_dte_keeps_the_whole_file_and_its_element_range()
    {
        var file = DteXmlBuilder.Dte(new TestDte());

        var result = DteAssert.Read(file);

        var document = DteAssert.Single(result);
        Assert.Equal(file, result.Content.ToArray());
        Assert.Equal(ElementTexts(DteXmlBuilder.Latin1.GetString(file), "DTE")[0], document.OriginalText);
        Assert.StartsWith("<DTE", document.OriginalText);
        Assert.EndsWith("</DTE>", document.OriginalText);
    }

    [Fact]
    public void The_ted_is_kept_exactly_as_written()
    {
        var file = DteXmlBuilder.Dte(new TestDte());

        var document = DteAssert.Single(DteAssert.Read(file));

        Assert.True(document.HasTed);
        Assert.Equal(ElementTexts(DteXmlBuilder.Latin1.GetString(file), "TED")[0], document.TedXml);
        Assert.Contains("<RSR>Almacén Doña Rosa</RSR>", document.TedXml);
    }

    [Fact]
    public void A_document_without_ted_says_so()
    {
        var document = DteAssert.Read(DteXmlBuilder.Dte(new TestDte { Ted = false })).Documents.Single();

        Assert.False(document.HasTed);
        Assert.Null(document.TedXml);
    }

    [Fact]
    public void Comments_inside_the_document_do_not_change_what_is_read()
    {
        var with = DteAssert.Single(DteAssert.Read(DteXmlBuilder.Dte(new TestDte { Comment = " generado por ERP <v2> " })));
        var without = DteAssert.Single(DteAssert.Read(DteXmlBuilder.Dte(new TestDte())));

        Assert.Equal(without.Totales.MntTotal, with.Totales.MntTotal);
        Assert.Equal(without.Folio, with.Folio);
        Assert.Contains("generado por ERP", with.OriginalText);
    }

    [Fact]
    public void Scheduled_payments_and_references_are_read()
    {
        var dte = new TestDte
        {
            Pagos = [(new DateOnly(2026, 12, 2), 110_075), (new DateOnly(2027, 1, 2), 110_075)],
            TermPagoDias = 60,
            References = [new("801", "OC-4471", new DateOnly(2026, 10, 28), null, "Orden de compra")],
        };

        var document = DteAssert.Single(DteAssert.Read(DteXmlBuilder.Dte(dte)));

        Assert.Equal(new[] { new DteScheduledPayment(new DateOnly(2026, 12, 2), 110_075, null), new DteScheduledPayment(new DateOnly(2027, 1, 2), 110_075, null) }, document.MntPagos);
        Assert.Equal(60, document.TermPagoDias);
        var reference = Assert.Single(document.Referencias);
        Assert.Equal(new DteReference(1, "801", "OC-4471", new DateOnly(2026, 10, 28), null, "Orden de compra"), reference);
        Assert.Equal(801, reference.TipoDte);
    }

    [Fact]
    public void A_boleta_in_an_envio_boleta_is_read_with_its_tax_included_totals()
    {
        var boleta = new TestDte { Tipo = 39, Folio = 88, FmaPago = null, Lines = [new("Pan amasado", 2, 1_190)], RutRecep = "66666666-6", CorreoRecep = null, Contacto = null };

        var result = DteAssert.Read(DteXmlBuilder.Envio([boleta]));

        var document = DteAssert.Single(result);
        Assert.Equal(DocumentType.Boleta, document.DocumentType);
        Assert.Equal("Boleta 88", document.Label);
        Assert.Equal(2_380, document.Totales.MntTotal);
        Assert.Equal(2_000, document.Totales.MntNeto);
        Assert.Equal(380, document.Totales.IVA);
        Assert.Equal(DteSchemaCheck.NotCovered, document.Schema);
    }

    [Fact]
    public void A_contact_that_holds_only_an_email_gives_the_email_and_no_phone()
    {
        var document = DteAssert.Single(DteAssert.Read(DteXmlBuilder.Dte(new TestDte { CorreoRecep = null, Contacto = "pagos@donarosa.cl" })));

        Assert.Equal("pagos@donarosa.cl", document.Receptor.Email);
        Assert.Null(document.Receptor.Phone);
    }

    [Fact]
    public void A_file_that_is_not_a_dte_is_refused()
    {
        var result = DteAssert.Read(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><Factura><Folio>1</Folio></Factura>"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("El archivo no es un DTE, un EnvioDTE ni un AEC del SII (su elemento principal es «Factura»).", error.Message);
    }

    [Fact]
    public void Broken_xml_is_refused_with_its_line()
    {
        var result = DteAssert.Read(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<DTE>\n<Documento>\n</DTE>"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(DteIssueCodes.NotXml, error.Code);
        Assert.StartsWith("El archivo no es un XML válido (línea 4", error.Message);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        Assert.Equal("El archivo está vacío.", Assert.Single(DteAssert.Read([]).Errors).Message);
    }

    /// <summary>The exact text of every &lt;name ...&gt;...&lt;/name&gt; in the file, found independently of the reader.</summary>
    internal static List<string> ElementTexts(string original, string name)
    {
        // Comments may mention "<DTE>": blank them (same length) so positions still point into the original.
        var text = System.Text.RegularExpressions.Regex.Replace(original, "<!--.*?-->", m => new string(' ', m.Length), System.Text.RegularExpressions.RegexOptions.Singleline);
        var found = new List<string>();
        var from = 0;
        while (true)
        {
            var starts = new[] { text.IndexOf($"<{name} ", from, StringComparison.Ordinal), text.IndexOf($"<{name}>", from, StringComparison.Ordinal) }.Where(i => i >= 0).ToList();
            if (starts.Count == 0)
            {
                break;
            }
            var start = starts.Min();
            var end = text.IndexOf($"</{name}>", start, StringComparison.Ordinal) + name.Length + 3;
            found.Add(original[start..end]);
            from = end;
        }
        return found;
    }
}

internal static class CodePages
{
    static CodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);
}
