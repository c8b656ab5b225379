using System.Security.Cryptography;
using Abono.Tests.Documents.Dte;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using UglyToad.PdfPig;
using ZXing;
using ZXing.Common;
using ZXing.PDF417;

namespace Abono.Tests.Portal;

/// <summary>
/// A payer opens an imported factura in the portal: its DTE XML downloads exactly as the business's invoicing system
/// issued it, and its PDF is the SII's printed representation with the Timbre Electrónico as a PDF417.
/// </summary>
public class PayerDteDownloadTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task A_payer_downloads_an_imported_facturas_XML_byte_for_byte_and_a_PDF_with_the_timbre()
    {
        var scenario = await PortalScenario.CreateAsync(factory, documents: 2);
        var documentId = scenario.DocumentIds[0];
        var xml = await StoreDteAsync(scenario, documentId);
        var payer = await scenario.IdentifiedPayerAsync();

        var detail = await payer.GetAsync($"/portal/{scenario.Code}/documentos/{documentId}");
        Assert.NotNull(detail.Document.QuerySelector("[data-testid=document-xml]"));

        var download = await payer.Http.GetAsync($"/portal/{scenario.Code}/documentos/{documentId}?handler=Xml");
        Assert.Equal(System.Net.HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/xml", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("iso-8859-1", download.Content.Headers.ContentType?.CharSet);
        Assert.Equal(xml, await download.Content.ReadAsByteArrayAsync());

        var pdf = await payer.Http.GetAsync($"/portal/{scenario.Code}/documentos/{documentId}?handler=Pdf");
        Assert.Equal(System.Net.HttpStatusCode.OK, pdf.StatusCode);
        using var read = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        var text = string.Join(" ", read.GetPages().Select(p => p.Text));
        Assert.Contains("Timbre Electrónico SII", text);
        Assert.Contains("R.U.T.:", text);
        Assert.Contains("Almacén Doña Rosa", text);
        Assert.Contains("Referencias", text);
    }

    [Fact]
    public async Task A_document_without_XML_offers_no_download_and_its_XML_address_is_refused()
    {
        var scenario = await PortalScenario.CreateAsync(factory, documents: 1);
        var payer = await scenario.IdentifiedPayerAsync();
        var documentId = scenario.DocumentIds[0];

        var detail = await payer.GetAsync($"/portal/{scenario.Code}/documentos/{documentId}");
        Assert.Null(detail.Document.QuerySelector("[data-testid=document-xml]"));
        var download = await payer.Http.GetAsync($"/portal/{scenario.Code}/documentos/{documentId}?handler=Xml");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, download.StatusCode);
    }

    [Fact]
    public async Task Another_customers_DTE_is_not_downloadable()
    {
        var scenario = await PortalScenario.CreateAsync(factory, documents: 1);
        var other = await PortalScenario.CreateAsync(factory, documents: 1);
        await StoreDteAsync(other, other.DocumentIds[0]);
        var payer = await scenario.IdentifiedPayerAsync();

        var download = await payer.Http.GetAsync($"/portal/{scenario.Code}/documentos/{other.DocumentIds[0]}?handler=Xml");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, download.StatusCode);
    }

    [Fact]
    public void The_timbre_barcode_reads_back_as_the_TED_with_its_accents()
    {
        const string ted = """
            <TED version="1.0">
              <DD><RE>76086428-5</RE><TD>33</TD><F>1234</F><RR>77123456-9</RR><RSR>Almacén Doña Rosa</RSR><MNT>220150</MNT></DD>
              <FRMT algoritmo="SHA1withRSA">c2lnbmF0dXJl</FRMT>
            </TED>
            """;
        var matrix = SiiTimbre.Encode(ted);

        var decoded = Decode(matrix);

        Assert.Equal(SiiTimbre.Flatten(ted), decoded);
        Assert.Contains("Almacén Doña Rosa", decoded);
    }

    private static async Task<byte[]> StoreDteAsync(PortalScenario scenario, long documentId)
    {
        await using var scope = scenario.Factory.ScopeFor(scenario.Merchant.CompanyId);
        var document = await scope.Db.Documents.Include(d => d.Customer).SingleAsync(d => d.Id == documentId);
        var company = await scope.Db.Companies.SingleAsync(c => c.Id == scenario.Merchant.CompanyId);
        var xml = DteXmlBuilder.Dte(new TestDte
        {
            Tipo = (int)document.Type,
            Folio = document.Folio,
            RutEmisor = Rut.Parse(company.Rut).Normalized,
            RutRecep = Rut.Parse(document.Customer!.Rut).Normalized,
            References = [new TestReference("801", "OC-77", new DateOnly(2026, 10, 30), RazonRef: "Orden de compra")],
        }, DteXmlBuilder.Latin1);
        scope.Db.DocumentXmls.Add(new DocumentXml
        {
            DocumentId = documentId,
            Content = xml,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(xml)),
            FileName = $"F{document.Folio}T33.xml",
            Signature = DteSignatureState.Unsigned,
            ImportedAt = DateTime.UtcNow,
        });
        await scope.Db.SaveChangesAsync();
        return xml;
    }

    /// <summary>Draws the matrix as a printer would (2 px modules, rows 3 modules tall, a quiet zone) and reads it.</summary>
    private static string Decode(BitMatrix matrix)
    {
        const int scale = 2;
        const int quiet = 20;
        var width = matrix.Width * scale + 2 * quiet;
        var height = matrix.Height * scale * 3 + 2 * quiet;
        var pixels = Enumerable.Repeat((byte)255, width * height).ToArray();
        for (var y = 0; y < matrix.Height * scale * 3; y++)
        {
            for (var x = 0; x < matrix.Width * scale; x++)
            {
                if (matrix[x / scale, y / (scale * 3)])
                {
                    pixels[(y + quiet) * width + x + quiet] = 0;
                }
            }
        }
        var source = new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.CHARACTER_SET] = "ISO-8859-1", [DecodeHintType.TRY_HARDER] = true };
        var result = new PDF417Reader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
        Assert.NotNull(result);
        return result.Text;
    }
}
