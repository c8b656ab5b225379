using Abono.Tests.Documents.Dte;
using Abono.Tests.Documents.Import;
using Abono.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>Issue 16: a business imports a zip of its DTE XMLs from Documentos, on a phone, and sees the report fill in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DteImportJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_business_imports_a_zip_of_xmls_and_sees_the_results_per_document()
    {
        var merchant = await Merchant.SignUpAsync(fixture.Factory, "Comercial Importadora SpA");
        string rut;
        await using (var scope = fixture.Factory.ScopeFor(merchant.CompanyId))
        {
            rut = await scope.Db.Companies.Where(c => c.Id == merchant.CompanyId).Select(c => c.Rut).SingleAsync();
        }
        TestDte Dte(int tipo, long folio) => new() { Tipo = tipo, Folio = folio, RutEmisor = rut };
        var zip = DteImportScenario.Zip(
            ("dte/33-10.xml", DteXmlBuilder.Dte(Dte(33, 10), signer: DteTestSigner.Shared)),
            ("dte/33-11.xml", DteXmlBuilder.Dte(Dte(33, 11) with { CorreoRecep = null, Contacto = null, RutRecep = "76543210-3", RznSocRecep = "Ferretería Sin Datos" }, ns: false)),
            ("dte/61-5.xml", DteXmlBuilder.Dte(Dte(61, 5) with
            {
                FmaPago = null,
                Lines = [new("Descuento", 1, 10_000)],
                References = [new("33", "10", new DateOnly(2026, 11, 2), 3, "Descuento")],
            })),
            ("dte/ajena.xml", DteXmlBuilder.Dte(new TestDte { Folio = 99 })));

        var page = await fixture.NewPageAsync(phone: true);
        await Journey.SignInAsync(page, merchant.Email, merchant.Password);
        await page.GotoAsync("/documentos");
        await page.GetByRole(AriaRole.Link, new() { Name = "Importar XML" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Importar XML" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Documentos: importar XML");

        await page.GetByLabel("Archivos XML de tus documentos").SetInputFilesAsync(new FilePayload { Name = "mis-dte.zip", MimeType = "application/zip", Buffer = zip });
        await page.GetByRole(AriaRole.Button, new() { Name = "Importar" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-dte-status]")).ToContainTextAsync("Listo: 1 archivos procesados, 3 documentos importados.");
        var result = page.GetByTestId("dte-import-result");
        await Assertions.Expect(result).ToContainTextAsync("Factura 10");
        await Assertions.Expect(result).ToContainTextAsync("Aplicada a Factura 10: su saldo bajó $11.900 y quedó en $208.250.");
        await Assertions.Expect(result).ToContainTextAsync("Factura 99: fue emitida por el RUT 76.086.428-5, no por tu empresa");
        await Assertions.Expect(result).ToContainTextAsync("sin firma");
        await Assertions.Expect(result.GetByRole(AriaRole.Link, new() { Name = "Ferretería Sin Datos (76.543.210-3)" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Documentos: resultado de la importación");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The import report is wider than the phone screen.");

        await result.GetByRole(AriaRole.Link, new() { Name = "Factura 10" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("document-balance")).ToHaveTextAsync("$208.250");
        await Assertions.Expect(page.GetByTestId("dte-signature")).ToContainTextAsync("Firma válida");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Documento importado desde XML");
        await page.Context.CloseAsync();
    }
}
