using Abono.Web.Features.Documents.Dte;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Documents.Dte;

public class DteChecksTests
{
    private static DteDocument ReadOne(byte[] file) => Assert.Single(DteAssert.Read(file).Documents);

    private static byte[] Edited(TestDte dte, string from, string to, bool ns = true)
    {
        var text = DteXmlBuilder.DteText(dte, ns);
        Assert.Contains(from, text);
        return DteXmlBuilder.File(text.Replace(from, to), DteXmlBuilder.Latin1);
    }

    private static DteIssue Only(DteDocument document, string code) => Assert.Single(document.Issues, i => i.Code == code);

    [Fact]
    public void A_factura_whose_total_is_not_neto_plus_exento_plus_iva_is_an_error_that_says_so()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte { MntTotalOverride = 230_000 }));

        var issue = Only(document, DteIssueCodes.TotalsMismatch);
        Assert.True(issue.IsError);
        Assert.Equal("Factura 1234: el total no cuadra con neto + exento + IVA ($185.000 + $0 + $35.150 = $220.150, pero el total dice $230.000).", issue.Message);
        Assert.Equal("Documento/Encabezado/Totales/MntTotal", issue.Path);
    }

    [Fact]
    public void A_factura_exenta_adds_up_with_its_exempt_amount_alone()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte { Tipo = 34, Lines = [new("Curso de capacitación", 2, 120_000)] }));

        Assert.Empty(document.Issues);
        Assert.Null(document.Totales.MntNeto);
        Assert.Equal(240_000, document.Totales.MntExe);
        Assert.Equal(240_000, document.Totales.MntTotal);
    }

    [Fact]
    public void Additional_taxes_count_in_the_total_and_a_mismatch_with_them_is_only_a_warning()
    {
        const string Tax = "<ImptoReten>\n        <TipoImp>27</TipoImp>\n        <TasaImp>10</TasaImp>\n        <MontoImp>18500</MontoImp>\n      </ImptoReten>\n      <MntTotal>";
        var adds = ReadOne(Edited(new TestDte { MntTotalOverride = 238_650 }, "<MntTotal>", Tax));
        var off = ReadOne(Edited(new TestDte { MntTotalOverride = 240_000 }, "<MntTotal>", Tax));

        Assert.Equal(new DteAdditionalTax("27", 10m, 18_500), Assert.Single(adds.Totales.ImptoReten));
        Assert.DoesNotContain(adds.Issues, i => i.Code == DteIssueCodes.TotalsMismatch);
        Assert.False(Only(off, DteIssueCodes.TotalsMismatch).IsError);
    }

    [Fact]
    public void An_iva_that_is_not_19_percent_of_the_net_is_a_warning()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte { IvaOverride = 30_000, MntTotalOverride = 215_000 }));

        var issue = Only(document, DteIssueCodes.IvaMismatch);
        Assert.False(issue.IsError);
        Assert.Equal("Factura 1234: el IVA ($30.000) no corresponde al 19 % del neto ($35.150).", issue.Message);
    }

    [Fact]
    public void A_receptor_rut_with_a_wrong_check_digit_is_an_error()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte { RutRecep = "77123456-0" }));

        var issue = Only(document, DteIssueCodes.InvalidRut);
        Assert.Equal("Factura 1234: el RUT del receptor (RUTRecep) «77123456-0» tiene el dígito verificador incorrecto.", issue.Message);
        Assert.Null(document.Receptor.Rut);
        Assert.Equal("77123456-0", document.Receptor.RutRecep);
    }

    [Fact]
    public void A_malformed_emisor_rut_is_an_error()
    {
        var issue = Only(ReadOne(DteXmlBuilder.Dte(new TestDte { RutEmisor = "76.086.42B-5" })), DteIssueCodes.InvalidRut);

        Assert.Equal("Factura 1234: el RUT del emisor (RUTEmisor) «76.086.42B-5» no es un RUT válido.", issue.Message);
    }

    [Fact]
    public void An_unknown_document_type_is_an_error_and_a_guia_is_only_unsupported()
    {
        var unknown = ReadOne(DteXmlBuilder.Dte(new TestDte { Tipo = 99 }));
        var guia = ReadOne(DteXmlBuilder.Dte(new TestDte { Tipo = 52 }));

        Assert.Equal("Documento tipo 99, folio 1234: el tipo de documento 99 no existe en el SII.", Only(unknown, DteIssueCodes.UnknownType).Message);
        Assert.Null(unknown.DocumentType);
        var unsupported = Only(guia, DteIssueCodes.UnsupportedType);
        Assert.False(unsupported.IsError);
        Assert.Equal("Guía de despacho 1234: Abono todavía no cobra este tipo de documento (TipoDTE 52).", unsupported.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("12A")]
    public void A_folio_that_is_not_a_positive_number_is_an_error(string folio)
    {
        var document = ReadOne(Edited(new TestDte(), "<Folio>1234</Folio>", $"<Folio>{folio}</Folio>"));

        var issue = Only(document, DteIssueCodes.InvalidFolio);
        Assert.EndsWith($"el folio (Folio) «{folio}» debe ser un número entero positivo.", issue.Message);
        Assert.Null(document.Folio);
    }

    [Theory]
    [InlineData("2026-02-30", "«2026-02-30» no es una fecha válida (AAAA-MM-DD).")]
    [InlineData("02-11-2026", "«02-11-2026» no es una fecha válida (AAAA-MM-DD).")]
    [InlineData("1999-12-31", "31-12-1999 está fuera de las fechas que acepta el SII (2000 a 2050).")]
    public void A_bad_issue_date_is_an_error(string date, string tail)
    {
        var document = ReadOne(Edited(new TestDte(), "<FchEmis>2026-11-02</FchEmis>", $"<FchEmis>{date}</FchEmis>"));

        var issue = Only(document, DteIssueCodes.InvalidDate);
        Assert.Equal($"Factura 1234: la fecha de emisión (FchEmis) {tail}", issue.Message);
        Assert.Equal("Documento/Encabezado/IdDoc/FchEmis", issue.Path);
        Assert.NotNull(issue.Line);
    }

    [Fact]
    public void Missing_mandatory_fields_are_named()
    {
        var text = DteXmlBuilder.DteText(new TestDte(), ns: false);
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\s*<RznSocRecep>.*?</RznSocRecep>", "");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\s*<FchEmis>.*?</FchEmis>", "");

        var document = ReadOne(DteXmlBuilder.File(text, DteXmlBuilder.Latin1));

        var missing = document.Issues.Where(i => i.Code == DteIssueCodes.MissingField).Select(i => i.Message).ToList();
        Assert.Contains("Factura 1234: falta la fecha de emisión (FchEmis).", missing);
        Assert.Contains("Factura 1234: falta la razón social del receptor (RznSocRecep).", missing);
        Assert.Null(document.FchEmis);
    }

    [Fact]
    public void An_amount_with_decimals_is_an_error_and_no_sum_is_checked_over_it()
    {
        var document = ReadOne(Edited(new TestDte(), "<MntNeto>185000</MntNeto>", "<MntNeto>185000.50</MntNeto>"));

        Assert.Equal("Factura 1234: el monto neto (MntNeto) «185000.50» no es un monto válido en pesos (un número entero, sin decimales ni signo).",
            Only(document, DteIssueCodes.InvalidValue).Message);
        Assert.DoesNotContain(document.Issues, i => i.Code == DteIssueCodes.TotalsMismatch);
    }

    [Fact]
    public void A_nota_de_credito_without_reference_is_an_error()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte { Tipo = 61, Folio = 9 }));

        Assert.Equal("Nota de crédito 9: una nota de crédito debe indicar el documento que modifica (Referencia).",
            Only(document, DteIssueCodes.MissingReference).Message);
    }

    [Fact]
    public void A_nota_de_credito_that_cancels_a_factura_carries_the_reference()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte
        {
            Tipo = 61,
            Folio = 9,
            References = [new("33", "1234", new DateOnly(2026, 11, 2), 1, "Anula factura por devolución")],
        }));

        Assert.Empty(document.Issues);
        var reference = Assert.Single(document.Referencias);
        Assert.Equal((33, "1234", 1), (reference.TipoDte!.Value, reference.FolioRef!, reference.CodRef!.Value));
    }

    [Fact]
    public void Scheduled_payments_that_do_not_add_up_to_the_total_are_a_warning()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte { Pagos = [(new DateOnly(2026, 12, 2), 100_000)] }));

        var issue = Only(document, DteIssueCodes.PaymentsMismatch);
        Assert.Equal("Factura 1234: los pagos programados (MntPagos) suman $100.000, pero el total es $220.150.", issue.Message);
    }

    [Fact]
    public void A_due_date_before_the_issue_date_is_a_warning()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte { FchVenc = new DateOnly(2026, 10, 1) }));

        Assert.Equal("Factura 1234: vence (01-10-2026) antes de su fecha de emisión (02-11-2026).", Only(document, DteIssueCodes.DueBeforeIssue).Message);
    }

    [Fact]
    public void A_document_of_the_company_passes_the_emisor_check_and_another_companys_is_refused()
    {
        var document = ReadOne(DteXmlBuilder.Dte(new TestDte()));

        Assert.Null(document.CheckIssuedBy(Rut.Parse("76.086.428-5")));
        var issue = document.CheckIssuedBy(Rut.Parse("76.543.210-3"));
        Assert.NotNull(issue);
        Assert.True(issue.IsError);
        Assert.Equal(DteIssueCodes.ForeignEmisor, issue.Code);
        Assert.Equal("Factura 1234: fue emitida por el RUT 76.086.428-5, no por tu empresa (76.543.210-3). Solo puedes importar documentos que emitió tu empresa.", issue.Message);
    }

    [Fact]
    public void The_due_date_is_fchvenc_when_the_document_states_it()
    {
        var due = ReadOne(DteXmlBuilder.Dte(new TestDte { FchVenc = new DateOnly(2026, 12, 15), Pagos = [(new DateOnly(2027, 1, 15), 220_150)] })).DueDate;

        Assert.Equal(new DteDueDate(new DateOnly(2026, 12, 15), DueDateRule.FchVenc), due);
        Assert.Equal("Vence el 15-12-2026, según la fecha de vencimiento del documento.", due!.Explanation);
    }

    [Fact]
    public void Without_fchvenc_the_due_date_is_the_last_scheduled_payment()
    {
        var due = ReadOne(DteXmlBuilder.Dte(new TestDte
        {
            Pagos = [(new DateOnly(2027, 1, 2), 110_075), (new DateOnly(2026, 12, 2), 110_075)],
            TermPagoDias = 90,
        })).DueDate;

        Assert.Equal(new DteDueDate(new DateOnly(2027, 1, 2), DueDateRule.MntPagos), due);
    }

    [Fact]
    public void Without_fchvenc_nor_payments_a_stated_term_in_days_counts_from_the_issue_date()
    {
        var due = ReadOne(DteXmlBuilder.Dte(new TestDte { TermPagoDias = 45 })).DueDate;

        Assert.Equal(new DteDueDate(new DateOnly(2026, 12, 17), DueDateRule.TermPagoDias), due);
    }

    [Fact]
    public void With_no_term_at_all_the_due_date_is_30_days_after_issue_per_ley_19983()
    {
        var due = ReadOne(DteXmlBuilder.Dte(new TestDte())).DueDate;

        Assert.Equal(new DteDueDate(new DateOnly(2026, 12, 2), DueDateRule.Ley19983), due);
        Assert.Equal("Vence el 02-12-2026: el documento no indica vencimiento y la Ley 19.983 da 30 días desde la emisión.", due!.Explanation);
    }
}
