using System.Security.Cryptography;
using Abono.Tests.Documents.Dte;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Documents.Import;

namespace Abono.Tests.Documents.Import;

/// <summary>Issue 16, item 1: DTE and EnvioDTE files in, documents and customers out, idempotent by (company, TipoDTE, Folio).</summary>
public class DteImportTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task An_iso_8859_1_factura_a_credito_without_namespace_becomes_a_debt_of_a_new_customer_and_keeps_its_bytes()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var dte = s.Dte() with { Lines = [new("Harina tostada 25 kg", 10, 18_500), new("Flete a Ñuñoa", 1, 15_000, Exempt: true)] };
        var file = DteXmlBuilder.Dte(dte, DteXmlBuilder.Latin1, ns: false);

        var report = await s.ImportAsync(("factura-1234.xml", file));

        var result = Assert.Single(report.Documents);
        Assert.Equal(DteImportOutcome.Imported, result.Outcome);
        Assert.Equal("Factura 1234", result.Label);
        Assert.Contains(result.Warnings, w => w.Contains("sin firma"));
        Assert.Empty(report.CustomersToComplete);
        await using var scope = s.Scope();
        var document = await scope.Db.Documents.Include(d => d.Lines).Include(d => d.Payments).Include(d => d.Customer).SingleAsync();
        Assert.Equal((DocumentType.Factura, 1234L, DocumentOrigin.DteXml), (document.Type, document.Folio, document.Origin));
        Assert.Equal((185_000L, 15_000L, 35_150L, 235_150L, 235_150L), (document.Net, document.Exempt, document.Tax, document.Total, document.Balance));
        Assert.Equal(new DateOnly(2026, 11, 2), document.IssueDate);
        Assert.Equal(new DateOnly(2026, 12, 2), document.DueDate); // no term stated: 30 days (Ley 19.983)
        Assert.Equal(PaymentForm.Credito, Assert.Single(document.Payments).Form);
        Assert.Collection(document.Lines.OrderBy(l => l.LineNumber),
            l => Assert.Equal(("Harina tostada 25 kg", 10L, 18_500L, false, 185_000L), (l.Description, l.Quantity, l.UnitPrice, l.IsExempt, l.Amount)),
            l => Assert.Equal(("Flete a Ñuñoa", 1L, 15_000L, true, 15_000L), (l.Description, l.Quantity, l.UnitPrice, l.IsExempt, l.Amount)));
        var customer = document.Customer!;
        Assert.Equal(("77123456-9", "Almacén Doña Rosa", "compras@donarosa.cl", "+56987654321"), (customer.Rut, customer.Name, customer.Email, customer.Phone));
        var xml = await scope.Db.DocumentXmls.SingleAsync();
        var original = DteXmlBuilder.Latin1.GetBytes(DteXmlBuilder.DteText(dte, ns: false));
        Assert.Equal(original, xml.Content);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), xml.Sha256);
        Assert.Equal(("factura-1234.xml", DteSignatureState.Unsigned), (xml.FileName, xml.Signature));
    }

    [Fact]
    public async Task A_signed_utf8_envio_with_several_types_imports_each_document_and_contado_is_recorded_as_paid()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var documents = new[]
        {
            s.Dte(33, 10) with { FchVenc = new DateOnly(2026, 12, 20) },
            s.Dte(34, 11, fmaPago: 1) with { Lines = [new("Asesoría", 1, 50_000)] },
            s.Dte(39, 12, fmaPago: 1) with { RutRecep = "66666666-6", Contacto = null, CorreoRecep = null },
            s.Dte(33, 13, fmaPago: 3),
        };
        var file = DteXmlBuilder.Envio(documents, DteXmlBuilder.Utf8, signer: DteTestSigner.Shared, signEnvelope: true);

        var report = await s.ImportAsync(("envio.xml", file));

        Assert.Equal("EnvioDTE", Assert.Single(report.Files).Kind);
        Assert.All(report.Documents, d => Assert.Equal(DteImportOutcome.Imported, d.Outcome));
        Assert.Equal(4, report.Imported);
        await using var scope = s.Scope();
        var byFolio = await scope.Db.Documents.Include(d => d.Payments).ToDictionaryAsync(d => d.Folio);
        Assert.Equal((documents[0].Total, new DateOnly(2026, 12, 20)), (byFolio[10].Balance, byFolio[10].DueDate));
        Assert.Equal((0L, 50_000L, DocumentType.FacturaExenta), (byFolio[11].Balance, byFolio[11].Exempt, byFolio[11].Type));
        Assert.Empty(byFolio[11].Payments);
        Assert.Equal((0L, (long?)null), (byFolio[12].Balance, byFolio[12].CustomerId)); // consumidor final: no customer
        Assert.Equal(0, byFolio[13].Balance); // sin costo
        Assert.All(await scope.Db.DocumentXmls.ToListAsync(), x => Assert.Equal(DteSignatureState.Valid, x.Signature));
        Assert.Equal(1, await scope.Db.Customers.CountAsync());
    }

    [Fact]
    public async Task The_customer_is_matched_by_rut_keeping_what_the_business_typed_and_filling_what_is_missing()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var id = await s.Merchant.CreateCustomerAsync(rut: "77.123.456-9", name: "Doña Rosa (nombre propio)", email: "rosa@propio.cl", phone: null);

        var report = await s.ImportAsync(s.Dte());

        await using var scope = s.Scope();
        var customer = await scope.Db.Customers.SingleAsync();
        Assert.Equal((id, "Doña Rosa (nombre propio)", "rosa@propio.cl", "+56987654321"), (customer.Id, customer.Name, customer.Email, customer.Phone));
        Assert.Equal(id, (await scope.Db.Documents.SingleAsync()).CustomerId);
        Assert.Empty(report.CustomersToComplete);
    }

    [Fact]
    public async Task Customers_without_the_email_and_phone_the_portal_needs_are_listed_with_a_link_to_complete_them()
    {
        var s = await DteImportScenario.StartAsync(factory);

        var report = await s.ImportAsync(s.Dte() with { CorreoRecep = null, Contacto = "Don Pedro" });

        var customer = Assert.Single(report.CustomersToComplete);
        Assert.Equal(("Almacén Doña Rosa", "correo electrónico y teléfono"), (customer.Name, customer.Missing));
        Assert.Equal($"/clientes/{customer.CustomerId}/editar", customer.EditUrl);
    }

    [Fact]
    public async Task A_document_issued_by_another_rut_is_refused_and_the_others_of_the_file_are_imported()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var file = DteXmlBuilder.Envio([s.Dte(33, 1), s.Dte(33, 2) with { RutEmisor = "76086428-5" }]);

        var report = await s.ImportAsync(("envio.xml", file));

        var refused = Assert.Single(report.Documents, d => d.Outcome == DteImportOutcome.Refused);
        Assert.Contains("Factura 2: fue emitida por el RUT 76.086.428-5, no por tu empresa", Assert.Single(refused.Errors));
        await using var scope = s.Scope();
        Assert.Equal(1L, (await scope.Db.Documents.SingleAsync()).Folio);
    }

    [Fact]
    public async Task Importing_the_same_file_again_changes_nothing_and_other_content_for_the_same_folio_is_reported_not_overwritten()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var first = await s.ImportAsync(s.Dte());
        var id = Assert.Single(first.Documents).DocumentId;

        var again = await s.ImportAsync(s.Dte());
        var changed = await s.ImportAsync(s.Dte() with { Lines = [new("Harina tostada 25 kg", 11, 18_500)] });

        Assert.Equal((DteImportOutcome.AlreadyImported, id), (Assert.Single(again.Documents).Outcome, Assert.Single(again.Documents).DocumentId));
        var conflict = Assert.Single(changed.Documents);
        Assert.Equal(DteImportOutcome.Conflict, conflict.Outcome);
        Assert.Equal("Factura 1234: ya existe con otro contenido; no se sobrescribió.", conflict.Message);
        await using var scope = s.Scope();
        var document = await scope.Db.Documents.SingleAsync();
        Assert.Equal(s.Dte().Total, document.Total);
        Assert.Equal(1, await scope.Db.DocumentXmls.CountAsync());
        Assert.Equal(1, await scope.Db.Customers.CountAsync());
        Assert.Equal(1, await scope.Db.DocumentLines.CountAsync());
    }

    [Fact]
    public async Task A_folio_already_issued_in_Abono_is_reported_clearly_and_the_next_folio_issued_follows_the_imported_ones()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var customer = await s.Merchant.CreateCustomerAsync();
        await s.Merchant.IssueAsync(33, customer, [("Mercadería", 1, 10_000)]);

        var report = await s.ImportAsync(s.Dte(33, 1), s.Dte(33, 500));

        Assert.Contains(report.Documents, d => d.Outcome == DteImportOutcome.Conflict && d.Message.Contains("emitido en Abono (Documentos)"));
        var page = await s.Merchant.IssueAsync(33, customer, [("Mercadería", 1, 10_000)]);
        Assert.Contains("Factura electrónica N° 501", page.Text);
    }

    [Fact]
    public async Task Concurrent_imports_of_the_same_file_create_one_document()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var file = DteXmlBuilder.Envio([s.Dte(33, 1), s.Dte(33, 2), s.Dte(61, 3) with { References = [new("33", "1", new DateOnly(2026, 11, 2), 3)] }]);

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => s.ImportAsync(("envio.xml", file)))));

        Assert.Equal(3, reports.Sum(r => r.Imported));
        Assert.All(reports.SelectMany(r => r.Documents), d => Assert.Contains(d.Outcome, new[] { DteImportOutcome.Imported, DteImportOutcome.AlreadyImported }));
        await using var scope = s.Scope();
        Assert.Equal(3, await scope.Db.Documents.CountAsync());
        Assert.Equal(1, await scope.Db.Customers.CountAsync());
        var factura = await scope.Db.Documents.SingleAsync(d => d.Folio == 1);
        Assert.Equal(s.Dte().Total - s.Dte(61, 3).Total, factura.Balance); // the nota applied once
    }

    [Fact]
    public async Task A_zip_of_files_is_imported_entry_by_entry_and_what_it_leaves_out_is_said()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var zip = DteImportScenario.Zip(
            ("facturas/33-1.xml", DteXmlBuilder.Dte(s.Dte(33, 1))),
            ("facturas/33-2.xml", DteXmlBuilder.Dte(s.Dte(33, 2), DteXmlBuilder.Utf8, ns: false)),
            ("leeme.txt", "hola"u8.ToArray()),
            ("facturas/roto.xml", "<DTE><Documento>"u8.ToArray()));

        var report = await s.ImportAsync(("lote.zip", zip));

        Assert.Equal(2, report.Imported);
        Assert.Contains(report.Files, f => f.FileName == "lote.zip/leeme.txt" && f.Warnings.Single().Contains("no es un archivo .xml"));
        Assert.Contains(report.Files, f => f.FileName == "lote.zip/facturas/roto.xml" && f.Errors.Single().Contains("no es un XML válido"));
    }

    [Fact]
    public async Task Xml_bombs_and_external_entities_are_refused_as_files_and_the_rest_is_imported()
    {
        var s = await DteImportScenario.StartAsync(factory);
        const string bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
            <DTE><Documento>&lol2;</Documento></DTE>
            """;
        const string xxe = """<?xml version="1.0"?><!DOCTYPE DTE [<!ENTITY x SYSTEM "file:///etc/passwd">]><DTE>&x;</DTE>""";

        var report = await s.ImportAsync(("bomba.xml", System.Text.Encoding.UTF8.GetBytes(bomb)), ("xxe.xml", System.Text.Encoding.UTF8.GetBytes(xxe)),
            ("ok.xml", DteXmlBuilder.Dte(s.Dte())));

        Assert.All(report.Files.Take(2), f => Assert.Contains("DOCTYPE", Assert.Single(f.Errors)));
        Assert.Equal(1, report.Imported);
    }

    [Fact]
    public async Task Entries_of_a_zip_larger_than_the_cap_are_refused_without_reading_them()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var zip = DteImportScenario.Zip(Enumerable.Range(0, 3).Select(i => ($"z{i}.xml", new byte[6 * 1024 * 1024])).ToArray());

        var report = await s.ImportAsync(("bomba.zip", zip));

        Assert.Equal(0, report.Imported);
        Assert.Contains(report.Files, f => f.Errors.Any(e => e.Contains("pesa") && e.Contains("máximo")));
    }
}
