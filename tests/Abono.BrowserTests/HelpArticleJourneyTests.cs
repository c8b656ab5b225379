using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// Step 2 of the help article word for word (Engranaje → Ver más → Portal de pagos → Editar), for a company with no
/// payment method yet: the panel's Agregar leads to Medios de pago and back, with the new method already switched on.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HelpArticleJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_method_added_from_the_portal_panels_Agregar_comes_back_switched_on_with_a_message_that_agrees_with_it()
    {
        var merchant = await Journey.CompanyWithThePortalAsync(fixture.Factory, "Botillería Los Aromos SpA");
        var page = await fixture.NewPageAsync();
        await Journey.SignInAsync(page, merchant.Email, merchant.Password);

        // Engranaje → Ver más → Portal de pagos → lápiz (Editar).
        await page.GetByTitle("Configuración").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ver más" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Configuración" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Portal de pagos" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Editar la configuración del Portal de pagos" }).ClickAsync();
        var panel = page.GetByRole(AriaRole.Complementary, new() { Name = "Editar Portal de pagos" });
        await Assertions.Expect(panel).ToContainTextAsync("No tienes medios de pago configurados y activos.");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Editar Portal de pagos sin medios de pago");

        // Agregar → Configurar Transferencia bancaria → Guardar: back in the panel.
        await panel.GetByRole(AriaRole.Link, new() { Name = "Agregar", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Medios de pago" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Volver a la configuración del Portal de pagos" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Medios de pago (desde el Portal de pagos)");
        await page.GetByRole(AriaRole.Link, new() { Name = "Configurar Transferencia bancaria" }).ClickAsync();
        await page.GetByLabel("Banco").SelectOptionAsync(new SelectOptionValue { Label = "Banco del Estado de Chile (BancoEstado)" });
        await page.GetByLabel("Tipo de cuenta").SelectOptionAsync(new SelectOptionValue { Label = "Cuenta corriente" });
        await page.GetByLabel("Número de cuenta").FillAsync("123-45678-9");
        await page.GetByLabel("Titular", new() { Exact = true }).FillAsync("Botillería Los Aromos SpA");
        await page.GetByLabel("RUT del titular").FillAsync("76.123.456-7");
        await page.GetByLabel("Correo para comprobantes").FillAsync("pagos@losaromos.cl");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        // The RUT's check digit is wrong: the message is next to its field and nothing was saved.
        await Assertions.Expect(page.GetByLabel("RUT del titular")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no se guardó nada");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Configurar Transferencia bancaria con errores");
        await page.GetByLabel("RUT del titular").FillAsync("76.123.456-0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(fixture.BaseUrl + "/configuracion/portal-de-pagos/editar");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Listo: configuraste Transferencia bancaria y ya aparece en tu Portal de pagos.");
        await Assertions.Expect(panel.GetByRole(AriaRole.Switch, new() { Name = "Transferencia bancaria" })).ToBeCheckedAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Editar Portal de pagos con el medio agregado");

        // Nombre and Emisor, then Guardar: the card offers the transfer.
        await panel.GetByLabel("Nombre", new() { Exact = true }).FillAsync("Paga a Los Aromos");
        await panel.GetByLabel("Emisor").FillAsync("cobranza@losaromos.cl");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Configuración del Portal de pagos guardada.");
        await Assertions.Expect(page.GetByTestId("portal-card")).ToContainTextAsync("Transferencia bancaria");
        await Assertions.Expect(page.GetByTestId("portal-card")).ToContainTextAsync("cobranza@losaromos.cl");

        // Turned off and on again in Medios de pago: each message agrees with "Transferencia bancaria" (feminine).
        await page.GetByTitle("Configuración").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Medios de pago" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Desactivar Transferencia bancaria" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Desactivaste Transferencia bancaria: tus clientes ya no pueden pagar con este medio de pago.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Activar Transferencia bancaria" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(
            "Activaste Transferencia bancaria. Para que tus clientes paguen con este medio de pago, actívalo también en la configuración del Portal de pagos.");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Medios de pago");
        await page.Context.CloseAsync();
    }
}
