using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>Issue 13 items 4 and 6 on a phone: a document's detail and PDF, Mis pagos, and a receipt, accessible and without sideways scrolling.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalDocumentsJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task On_a_phone_the_payer_opens_a_document_its_history_and_a_receipt()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, documents: 1);
        // A long description without spaces is the worst case for a narrow screen.
        var long1 = Merchant.IdFrom(await s.Merchant.IssueAsync(33, s.CustomerId,
            [("Mantención-preventiva-de-equipos-de-climatización-sucursal-Providencia-y-Las-Condes", 3, 12_345), ("Traslado", 1, 5_000)]));
        await s.Merchant.IssueAsync(61, null, [("Descuento", 1, 1_000)], paymentForm: "",
            extra: new Dictionary<string, string?> { ["Input.ReferenceDocumentId"] = long1.ToString(), ["Input.ReferenceReason"] = "Descuento por atraso en la visita" },
            url: $"/documentos/nuevo?tipo=61&referencia={long1}");
        await s.PayAsync(await s.IdentifiedPayerAsync(), [s.DocumentIds[0]]);
        // The test merchant's generated email is longer than a phone is wide and would overflow the layout's footer.
        await using (var scope = fixture.Factory.ScopeFor(s.Merchant.CompanyId))
        {
            await scope.Db.PortalConfigurations.ExecuteUpdateAsync(p => p.SetProperty(c => c.ContactEmail, "cobranza@empresa.cl"));
        }

        var payer = await fixture.NewPageAsync(phone: true);
        await payer.GotoAsync($"/portal/{s.Code}");
        await payer.GetByLabel("RUT").FillAsync(s.FormattedRut);
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync(PortalScenario.CustomerEmail);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Hola, Cliente Portal Ltda." })).ToBeVisibleAsync();

        await payer.GotoAsync($"/portal/{s.Code}/documentos/{long1}");
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Factura electrónica N° 2" })).ToBeVisibleAsync();
        await Assertions.Expect(payer.GetByTestId("document-notes")).ToContainTextAsync("Nota de crédito N° 1");
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal: detalle del documento");
        await AssertNoSidewaysScrollAsync(payer, "document detail");
        var download = await payer.RunAndWaitForDownloadAsync(() =>
            payer.GetByRole(AriaRole.Link, new() { Name = "Descargar PDF de Factura N° 2" }).ClickAsync());
        Assert.Equal("factura-electronica-2.pdf", download.SuggestedFilename);

        await payer.GetByTestId("document-notes").GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Nota de crédito electrónica N° 1" })).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(payer, "nota de crédito");

        await payer.GotoAsync($"/portal/{s.Code}/pagos");
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Mis pagos" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal: mis pagos");
        await AssertNoSidewaysScrollAsync(payer, "history");
        await payer.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Ver comprobante P-") }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Comprobante de pago P-") })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal: comprobante");
        await AssertNoSidewaysScrollAsync(payer, "receipt");
        await payer.GetByRole(AriaRole.Link, new() { Name = "Factura N° 1" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Factura electrónica N° 1" })).ToBeVisibleAsync();
        await Assertions.Expect(payer.GetByTestId("document-status")).ToHaveTextAsync("Pagado");
        await payer.Context.CloseAsync();
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, $"The {what} page is wider than the phone screen.");
    }
}
