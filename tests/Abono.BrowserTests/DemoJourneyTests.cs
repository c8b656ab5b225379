using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Abono.Web.Features.Demo;
using Abono.Web.Platform.Chile;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// The foundation as a person does it: sign in to the demo, create a customer, issue a factura on crédito
/// from Documentos and a boleta from Punto de venta, and see the debt on the customer's page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoJourneyTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sign_in_create_a_customer_issue_on_credito_and_see_the_balance(bool phone)
    {
        var page = await fixture.NewPageAsync(phone);
        var device = phone ? "teléfono" : "escritorio";

        // Ingresar
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ingresar"));
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Ingresar ({device})");
        await page.GetByLabel("Correo electrónico").FillAsync(DemoSeeder.AdminEmail);
        await page.GetByLabel("Contraseña").FillAsync(DemoSeeder.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inicio" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".company-name")).ToHaveTextAsync(DemoSeeder.CompanyName);

        // Clientes → Nuevo cliente
        await page.GetByRole(AriaRole.Link, new() { Name = "Clientes", Exact = true }).ClickAsync();
        await Journey.ArriveAsync(page, "/clientes");
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Clientes ({device})");
        await page.GetByRole(AriaRole.Link, new() { Name = "Nuevo cliente" }).ClickAsync();
        // Clientes has a "Buscar por RUT, nombre o correo" field: the form's own RUT, once the form is there.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nuevo cliente", Level = 1, Exact = true })).ToBeVisibleAsync();
        var rut = Rut.Parse(Merchant.NewRut(80_000_000)).Formatted;
        var name = $"Comercial Navegador {(phone ? "Móvil" : "Escritorio")} SpA";
        await page.GetByLabel("RUT", new() { Exact = true }).FillAsync(rut);
        await page.GetByLabel("Nombre o razón social").FillAsync(name);
        await page.GetByLabel("Correo electrónico").FillAsync("pagos@navegador.cl");
        await page.GetByLabel("Teléfono").FillAsync("9 6123 4567");
        await page.GetByLabel("Días de crédito").FillAsync("30");
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Nuevo cliente ({device})");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        var customerUrl = page.Url;

        // Documentos → Emitir documento: factura on crédito (the customer's page has an "Emitir documento" of its own,
        // so Documentos has to be showing first)
        await page.GetByRole(AriaRole.Link, new() { Name = "Documentos", Exact = true }).ClickAsync();
        await Journey.ArriveAsync(page, "/documentos");
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Documentos ({device})");
        await page.GetByRole(AriaRole.Link, new() { Name = "Emitir documento" }).First.ClickAsync();
        await page.GetByLabel("Tipo de documento").SelectOptionAsync(new SelectOptionValue { Label = "Factura electrónica" });
        await page.GetByLabel("Buscar cliente por RUT o nombre").FillAsync(rut);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buscar cliente" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("selected-customer")).ToContainTextAsync(name);
        await page.GetByLabel("Descripción línea 1").FillAsync("Asesoría contable noviembre");
        await page.GetByLabel("Cantidad línea 1").FillAsync("1");
        await page.GetByLabel("Precio unitario línea 1").FillAsync("100000");
        await page.GetByLabel("Crédito", new() { Exact = true }).CheckAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Emitir documento ({device})");
        await page.GetByRole(AriaRole.Button, new() { Name = "Emitir documento" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Factura electrónica N°");
        await Assertions.Expect(page.GetByTestId("document-balance")).ToHaveTextAsync("$119.000");

        // Punto de venta: a boleta from the catalogue, on crédito for the same customer
        await page.GetByRole(AriaRole.Link, new() { Name = "Punto de venta", Exact = true }).ClickAsync();
        await Journey.ArriveAsync(page, "/punto-de-venta");
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Punto de venta ({device})");
        await page.GetByLabel("Buscar cliente por RUT o nombre").FillAsync(rut);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buscar cliente" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("selected-customer")).ToContainTextAsync(name);
        await page.GetByLabel("Agregar producto del catálogo").SelectOptionAsync(new SelectOptionValue { Label = "P001 · Resma papel carta · $4.990" });
        await page.GetByLabel("Cantidad", new() { Exact = true }).FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Agregar producto" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Descripción línea 1")).ToHaveValueAsync("Resma papel carta");
        await page.GetByLabel("Crédito", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Emitir documento" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Boleta electrónica N°");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("$9.980");

        // The customer's page shows what they owe.
        await page.GotoAsync(customerUrl);
        await Assertions.Expect(page.GetByTestId("customer-balance")).ToHaveTextAsync("$128.980");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Factura N°" }).Or(page.GetByText("Factura N°")).First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Detalle de cliente ({device})");

        if (phone)
        {
            // Nothing on a phone-sized page scrolls sideways.
            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, "The customer page is wider than the phone screen.");
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_credito_document_for_a_customer_without_contact_data_links_to_complete_it()
    {
        var page = await fixture.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync("/clientes/nuevo");
        var rut = Rut.Parse(Merchant.NewRut(81_000_000)).Formatted;
        await page.GetByLabel("RUT").FillAsync(rut);
        await page.GetByLabel("Nombre o razón social").FillAsync("Cliente Sin Contacto");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        // Saved once the customer's page shows: going elsewhere sooner could cancel the post.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cliente Sin Contacto", Level = 1, Exact = true })).ToBeVisibleAsync();

        await page.GotoAsync("/documentos/nuevo");
        await page.GetByLabel("Buscar cliente por RUT o nombre").FillAsync(rut);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buscar cliente" }).ClickAsync();
        // Buscar cliente redraws the whole form: the lines are typed into the new one.
        await Assertions.Expect(page.GetByTestId("selected-customer")).ToContainTextAsync("Cliente Sin Contacto");
        await page.GetByLabel("Descripción línea 1").FillAsync("Servicio");
        await page.GetByLabel("Cantidad línea 1").FillAsync("1");
        await page.GetByLabel("Precio unitario línea 1").FillAsync("5000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Emitir documento" }).ClickAsync();

        var alert = page.GetByTestId("customer-contact-error");
        await Assertions.Expect(alert).ToContainTextAsync("debe tener un correo electrónico válido y un teléfono válido");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Emitir documento con errores");
        await alert.GetByRole(AriaRole.Button, new() { Name = "Completar datos del cliente" }).ClickAsync();
        await page.GetByLabel("Correo electrónico").FillAsync("contacto@sincontacto.cl");
        await page.GetByLabel("Teléfono").FillAsync("+56 9 9345 6789");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();

        // Back on the issue form with the customer chosen and the line typed before.
        await Assertions.Expect(page.GetByTestId("selected-customer")).ToContainTextAsync("contacto@sincontacto.cl");
        await Assertions.Expect(page.GetByLabel("Descripción línea 1")).ToHaveValueAsync("Servicio");
        await page.Context.CloseAsync();
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/ingresar");
        await page.GetByLabel("Correo electrónico").FillAsync(DemoSeeder.AdminEmail);
        await page.GetByLabel("Contraseña").FillAsync(DemoSeeder.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inicio" })).ToBeVisibleAsync();
    }
}
