using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// Issue 18 item 4: a sale at Punto de venta leads to its payment. The total follows the lines as they are typed; after
/// issuing come the PDF, the customer's payment link and Nueva venta; the factura's detail copies the link; a nota de
/// crédito starts from the factura's lines and, once issued, reads Aplicada.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DocumentsLeadToPaymentJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_sale_on_credito_leads_to_its_payment_link_and_a_nota_de_credito_is_applied_to_it()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, documents: 1);
        var page = await fixture.NewPageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = fixture.BaseUrl });
        await Journey.SignInAsync(page, s.Merchant.Email, s.Merchant.Password);

        // Punto de venta: a factura for the portal's customer, the total following the lines as they are typed.
        await page.GetByRole(AriaRole.Link, new() { Name = "Punto de venta", Exact = true }).ClickAsync();
        await page.GetByLabel("Tipo de documento").SelectOptionAsync(new SelectOptionValue { Label = "Factura electrónica" });
        await page.GetByLabel("Buscar cliente por RUT o nombre").FillAsync("Cliente Portal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Buscar cliente" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("selected-customer")).ToContainTextAsync("Cliente Portal Ltda.");
        await Assertions.Expect(page.Locator("button[data-without-script]")).ToBeHiddenAsync();
        await page.GetByLabel("Descripción línea 1").FillAsync("Leña seca 1 m³");
        await page.GetByLabel("Cantidad línea 1").FillAsync("3");
        await page.GetByLabel("Precio unitario línea 1").FillAsync("20000");
        await Assertions.Expect(page.GetByTestId("total")).ToHaveTextAsync("$71.400");
        await page.GetByLabel("Cantidad línea 1").FillAsync("2");
        await Assertions.Expect(page.GetByTestId("total")).ToHaveTextAsync("$47.600");
        await Assertions.Expect(page.GetByTestId("totals")).ToContainTextAsync("$40.000");
        await Assertions.Expect(page.GetByTestId("totals")).ToContainTextAsync("$7.600");
        await page.GetByLabel("Crédito", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Emitir documento" }).ClickAsync();

        // Right after the sale: its PDF, the payment link and Nueva venta.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Venta emitida" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Factura electrónica N° 2 emitida por $47.600.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Descargar PDF de Factura N° 2" })).ToBeVisibleAsync();
        // The customer has no link yet: creating it is one click, and the sale comes back with it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Crear link de pago" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Creamos el link de pago de Cliente Portal Ltda.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Venta emitida" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Link de pago de Cliente Portal Ltda.")).ToHaveValueAsync(new Regex("/portal/c/[A-Za-z0-9_-]{43}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Enviar por WhatsApp" })).ToHaveAttributeAsync("href", new Regex("^https://wa\\.me/56961234567\\?text="));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Nueva venta" })).ToHaveAttributeAsync("href", "/punto-de-venta");

        // The document's detail: the same link, copied with one click. The sale has the same heading (as an h2), link
        // field and copy button, so the detail's own address comes first.
        await page.GetByRole(AriaRole.Link, new() { Name = "Ver documento Factura N° 2" }).ClickAsync();
        await Journey.ArriveAsync(page, new Regex(@"^/documentos/\d+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Factura electrónica N° 2", Level = 1, Exact = true })).ToBeVisibleAsync();
        var field = page.GetByLabel("Link de pago de Cliente Portal Ltda.");
        var link = await field.InputValueAsync();
        Assert.StartsWith(fixture.BaseUrl + "/portal/c/", link);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Documento: detalle con link de pago");
        await Journey.ScreenshotAsync(page, "documento-detalle.png");
        // Located by what it copies: its name changes to "¡Copiado!" once pressed (for two seconds only, too short to
        // assert under load; the clipboard is what counts).
        var copy = page.Locator($"button[data-copy='{link}']");
        await Assertions.Expect(copy).ToHaveTextAsync("Copiar link");
        await Journey.CopyAsync(copy, link);
        var detailUrl = page.Url;

        // Emitir nota de crédito: the factura's lines, its customer, no forma de pago; one m³ comes back.
        await page.GetByRole(AriaRole.Link, new() { Name = "Emitir nota de crédito" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Emitir nota de crédito electrónica" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("credit-note-customer")).ToContainTextAsync("Cliente Portal Ltda.");
        await Assertions.Expect(page.GetByLabel("Descripción línea 1")).ToHaveValueAsync("Leña seca 1 m³");
        await Assertions.Expect(page.GetByTestId("total")).ToHaveTextAsync("$47.600");
        await Assertions.Expect(page.GetByRole(AriaRole.Radio)).ToHaveCountAsync(0);
        await page.GetByLabel("Cantidad línea 1").FillAsync("1");
        await Assertions.Expect(page.GetByTestId("total")).ToHaveTextAsync("$23.800");
        await page.GetByLabel("Motivo de la nota").FillAsync("Devolución de 1 m³");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Nota de crédito: formulario");
        var noteFormUrl = page.Url;

        // The same two screens on a phone.
        var phone = await fixture.NewPageAsync(phone: true);
        await Journey.SignInAsync(phone, s.Merchant.Email, s.Merchant.Password);
        await phone.GotoAsync(detailUrl);
        await Assertions.Expect(phone.GetByLabel("Link de pago de Cliente Portal Ltda.")).ToHaveValueAsync(link);
        await Accessibility.AssertNoSeriousViolationsAsync(phone, "Documento: detalle con link de pago (teléfono)");
        await phone.GotoAsync(noteFormUrl);
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Emitir nota de crédito electrónica" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(phone, "Nota de crédito: formulario (teléfono)");
        await phone.Context.CloseAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Emitir nota de crédito" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nota de crédito electrónica N° 1" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("document-status")).ToHaveTextAsync("Aplicada");
        await Assertions.Expect(page.GetByTestId("payment-link-unavailable")).ToContainTextAsync("Una nota de crédito no se cobra");
        await page.GetByRole(AriaRole.Link, new() { Name = "Factura N° 2" }).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("document-balance")).ToHaveTextAsync("$23.800");
        await page.Context.CloseAsync();
    }
}
