using System.Net;
using Abono.Tests.Documents.Dte;

namespace Abono.Tests.Documents.Import;

/// <summary>Documentos → Importar XML without JavaScript (one multipart post), and the DTE in the document's detail.</summary>
public class DteImportScreenTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    private static async Task<AppClient.Page> UploadAsync(DteImportScenario s, string handler, params (string Name, byte[] Content)[] files)
    {
        var form = await s.Merchant.Client.GetAsync("/documentos/importar-xml");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var token = form.Document.QuerySelector("form[data-dte-import] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (name, bytes) in files)
        {
            content.Add(new ByteArrayContent(bytes), "Archivos", name);
        }
        var url = "/documentos/importar-xml" + (handler.Length > 0 ? $"?handler={handler}" : "");
        var response = await s.Merchant.Client.Http.PostAsync(url, content);
        return await AppClient.Page.ReadAsync(response, url);
    }

    [Fact]
    public async Task The_form_imports_a_zip_and_reports_per_file_and_document_with_the_customers_to_complete()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var documents = await s.Merchant.Client.GetAsync("/documentos");
        Assert.NotNull(documents.Document.QuerySelector("a[href='/documentos/importar-xml']"));
        var zip = DteImportScenario.Zip(
            ("33-1.xml", DteXmlBuilder.Dte(s.Dte(33, 1) with { CorreoRecep = null, Contacto = null })),
            ("33-2.xml", DteXmlBuilder.Dte(s.Dte(33, 2) with { RutEmisor = "76086428-5" })));

        var page = await UploadAsync(s, "", ("lote.zip", zip));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var result = page.Document.QuerySelector("[data-testid=dte-import-result]")!.TextContent;
        Assert.Contains("2 archivos · 1 documentos importados · 0 ya importados · 0 no sobrescritos · 1 rechazados", result);
        Assert.Contains("lote.zip/33-1.xml", result);
        Assert.Contains("Importada a crédito: saldo $220.150", result);
        Assert.Contains("Factura 2: fue emitida por el RUT 76.086.428-5, no por tu empresa", result);
        Assert.Contains("Almacén Doña Rosa (77.123.456-9): falta correo electrónico y teléfono.", result);

        var again = await UploadAsync(s, "Batch", ("33-1.xml", DteXmlBuilder.Dte(s.Dte(33, 1) with { CorreoRecep = null, Contacto = null })));
        Assert.Contains("Ya importado: no cambió nada.", again.Text);
    }

    [Fact]
    public async Task Nothing_chosen_is_said_next_to_the_field()
    {
        var s = await DteImportScenario.StartAsync(factory);

        var page = await UploadAsync(s, "");

        Assert.Contains("Elige uno o más archivos XML, o un .zip con ellos.", page.Document.QuerySelector("#archivos-error")!.TextContent);
    }

    [Fact]
    public async Task The_detail_shows_the_dte_and_downloads_its_exact_bytes_with_their_encoding()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var factura = s.Dte(33, 100);
        var nota = s.Nota(61, 7, 100, codRef: 1, price: 200_000) with { Folio = 7 };
        await s.ImportAsync(("envio.xml", DteXmlBuilder.Envio([factura, nota], DteXmlBuilder.Latin1, signer: DteTestSigner.Shared)));
        long notaId, facturaId;
        await using (var scope = s.Scope())
        {
            notaId = (await scope.Db.Documents.SingleAsync(d => d.Folio == 7)).Id;
            facturaId = (await scope.Db.Documents.SingleAsync(d => d.Folio == 100)).Id;
        }

        var page = await s.Merchant.Client.GetAsync($"/documentos/{notaId}");

        var dte = page.Document.QuerySelector("[data-testid=dte-details]")!.TextContent;
        Assert.Contains("Comercial Demo SpA", dte);
        Assert.Contains("Almacén Doña Rosa · 77.123.456-9", dte);
        Assert.Contains("Firma válida", page.Document.QuerySelector("[data-testid=dte-signature]")!.TextContent);
        Assert.Contains("Anula el documento", page.Document.QuerySelector("[data-testid=dte-references]")!.TextContent);
        Assert.Contains("$17.850 a favor del cliente", page.Document.QuerySelector("[data-testid=dte-unapplied]")!.TextContent);
        Assert.Contains("Importado desde XML (DTE)", page.Text);
        var facturaPage = await s.Merchant.Client.GetAsync($"/documentos/{facturaId}");
        Assert.Contains("la Ley 19.983 da 30 días", facturaPage.Document.QuerySelector("[data-testid=dte-due-rule]")!.TextContent);
        Assert.Equal("$0", facturaPage.Document.QuerySelector("[data-testid=document-balance]")!.TextContent.Trim());

        var download = await s.Merchant.Client.Http.GetAsync(page.Document.QuerySelector("[data-testid=document-xml]")!.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/xml; charset=ISO-8859-1", download.Content.Headers.ContentType!.ToString());
        Assert.Equal("nota-de-credito-7.xml", download.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.Equal(DteXmlBuilder.Latin1.GetBytes(DteXmlBuilder.DteText(nota, signer: DteTestSigner.Shared)), await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Another_companys_xml_is_not_found()
    {
        var s = await DteImportScenario.StartAsync(factory);
        var report = await s.ImportAsync(s.Dte());
        var other = await Merchant.SignUpAsync(factory);

        var response = await other.Client.Http.GetAsync($"/documentos/{report.Documents.Single().DocumentId}/xml");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
