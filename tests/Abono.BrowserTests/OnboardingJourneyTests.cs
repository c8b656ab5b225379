using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Abono.Web.Platform.Chile;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// A brand-new company, from Crear cuenta to its first shared payment link, guided by Inicio's Primeros pasos: each
/// step is done from the link on the checklist, and back on Inicio that step is ticked; once all six are, the
/// checklist is gone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OnboardingJourneyTests(BrowserFixture fixture)
{
    private static readonly string[] Steps =
    [
        "Contrata el Portal de pagos", "Configura un medio de pago", "Actívalo en el portal",
        "Crea un cliente con correo y teléfono", "Emite un documento a crédito", "Comparte el link de pago",
    ];

    [Fact]
    public async Task A_new_company_signs_up_and_goes_through_every_step_of_Primeros_pasos_until_the_checklist_is_gone()
    {
        var page = await fixture.NewPageAsync();
        var email = $"duena{Guid.NewGuid():N}@panaderia.cl";

        // Crear cuenta → the activation email → Activar mi cuenta.
        await page.GotoAsync("/crear-cuenta");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Crear cuenta");
        await page.GetByLabel("RUT de la empresa").FillAsync(Rut.Parse(Merchant.NewRut(77_000_000)).Formatted);
        await page.GetByLabel("Razón social").FillAsync("Panadería La Espiga SpA");
        await page.GetByLabel("Giro").FillAsync("Elaboración de pan");
        await page.GetByLabel("Tu nombre").FillAsync("Rosa Espinoza");
        await page.GetByLabel("Correo electrónico").FillAsync(email);
        await page.GetByLabel("Contraseña").FillAsync("Espiga2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Crear cuenta" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Revisa tu correo" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Revisa tu correo (crear cuenta)");

        await Journey.FollowEmailButtonAsync(page, await fixture.EmailAsync(email, "Activa tu cuenta de Abono"), "Activar mi cuenta");
        await Assertions.Expect(page.GetByTestId("signup-activate")).ToContainTextAsync("Panadería La Espiga SpA");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Activar tu cuenta");
        await page.GetByRole(AriaRole.Button, new() { Name = "Activar mi cuenta" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Tu cuenta fue creada");
        await ExpectDoneAsync(page, 0);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Inicio con Primeros pasos");

        // 1. Contratar: the initial's icon → Mi cuenta → Agregar servicios a mi plan → Contratar.
        await page.Locator(".user-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Mi cuenta" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Agregar servicios a mi plan" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Contratar Portal de pagos" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("y contratar") }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Aprobar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "¡Listo! Contrataste el Portal de pagos" })).ToBeVisibleAsync();
        await BackToInicioAsync(page);
        await ExpectDoneAsync(page, 1);

        // 2. Configurar un medio de pago: the Pasarela de prueba needs no credentials.
        await StepLink(page, 1).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Medios de pago" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Configurar Pasarela de prueba" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Listo: guardamos Pasarela de prueba.");
        await BackToInicioAsync(page);
        await ExpectDoneAsync(page, 2);

        // 3. Activarlo en el portal: the Editar panel's switch.
        await StepLink(page, 2).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Editar Portal de pagos" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Switch, new() { Name = "Pasarela de prueba" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Configuración del Portal de pagos guardada.");
        await BackToInicioAsync(page);
        await ExpectDoneAsync(page, 3);
        await Journey.ScreenshotAsync(page, "inicio-primeros-pasos.png");

        // 4. Crear un cliente con correo y teléfono.
        await StepLink(page, 3).ClickAsync();
        var rut = Rut.Parse(Merchant.NewRut(78_000_000)).Formatted;
        await page.GetByLabel("RUT").FillAsync(rut);
        await page.GetByLabel("Nombre o razón social").FillAsync("Almacén El Trigal");
        await page.GetByLabel("Correo electrónico").FillAsync("pagos@eltrigal.cl");
        await page.GetByLabel("Teléfono").FillAsync("+56 9 8765 4321");
        await page.GetByLabel("Días de crédito").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Almacén El Trigal" })).ToBeVisibleAsync();
        await BackToInicioAsync(page);
        await ExpectDoneAsync(page, 4);

        // 5. Emitir un documento a crédito.
        await StepLink(page, 4).ClickAsync();
        await page.GetByLabel("Tipo de documento").SelectOptionAsync(new SelectOptionValue { Label = "Factura electrónica" });
        await page.GetByLabel("Buscar cliente por RUT o nombre").FillAsync(rut);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buscar cliente" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("selected-customer")).ToContainTextAsync("Almacén El Trigal");
        await page.GetByLabel("Descripción línea 1").FillAsync("Pan amasado, 40 kg");
        await page.GetByLabel("Cantidad línea 1").FillAsync("1");
        await page.GetByLabel("Precio unitario línea 1").FillAsync("84000");
        await page.GetByLabel("Crédito", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Emitir documento" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Factura electrónica N°");
        await BackToInicioAsync(page);
        await ExpectDoneAsync(page, 5);

        // 6. Compartir el link: the portal's card has the company link and leads to a customer's own link
        // (Reportes → Pagos → Documentos adeudados → Buscar → Portal de pagos, as the help article says).
        await StepLink(page, 5).ClickAsync();
        await Assertions.Expect(page.GetByTestId("company-link")).ToHaveValueAsync(new Regex(@"/portal/[A-Za-z0-9_-]{16}$"));
        await page.GetByTestId("portal-card").GetByRole(AriaRole.Link, new() { Name = "Documentos adeudados" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pagos", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Buscar", Exact = true }).ClickAsync();
        // The card's link already shows the results (?buscar=1); Buscar's page has the form's fields in its address.
        await page.WaitForURLAsync(new Regex("[?&]cliente="));
        await page.GetByRole(AriaRole.Link, new() { Name = "Portal de pagos de Almacén El Trigal" }).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("customer-link")).ToHaveValueAsync(new Regex("/portal/c/"));
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Enlace de pago del cliente");
        await BackToInicioAsync(page);

        await Assertions.Expect(page.GetByTestId("setup-checklist")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Últimos documentos" })).ToContainTextAsync("Almacén El Trigal");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Inicio sin Primeros pasos");
        await page.Context.CloseAsync();
    }

    private static async Task BackToInicioAsync(IPage page)
    {
        await Journey.MainMenu(page).GetByRole(AriaRole.Link, new() { Name = "Inicio", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inicio", Exact = true })).ToBeVisibleAsync();
    }

    private static ILocator StepLink(IPage page, int index) =>
        page.GetByTestId("setup-step").Nth(index).GetByRole(AriaRole.Link, new() { Name = Steps[index] });

    /// <summary>The first <paramref name="done"/> steps are ticked (hecho), the rest still to do (pendiente).</summary>
    private static async Task ExpectDoneAsync(IPage page, int done)
    {
        var checklist = page.GetByTestId("setup-checklist");
        await Assertions.Expect(checklist.GetByRole(AriaRole.Heading, new() { Name = "Primeros pasos" })).ToContainTextAsync($"({done} de {Steps.Length})");
        var steps = checklist.GetByTestId("setup-step");
        await Assertions.Expect(steps).ToHaveCountAsync(Steps.Length);
        for (var i = 0; i < Steps.Length; i++)
        {
            var state = i < done ? "hecho" : "pendiente";
            await Assertions.Expect(steps.Nth(i)).ToContainTextAsync(new Regex($@"{Regex.Escape(Steps[i])}\s*\({state}\)"));
        }
    }
}
