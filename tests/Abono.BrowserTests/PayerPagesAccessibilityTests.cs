using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// Every page a payer can land on, on a phone and on a desktop: axe finds no serious or critical violation and nothing
/// is wider than the screen. The journeys themselves are asserted elsewhere; this sweep reaches the pages they don't
/// (an unknown portal, a bad link, a failed identification, the code check, a transfer, a rejected payment, empty lists).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PayerPagesAccessibilityTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_payer_page_passes_axe_and_fits_the_screen(bool phone)
    {
        var device = phone ? "teléfono" : "escritorio";
        var s = await PortalScenario.CreateAsync(fixture.Factory);
        await s.EnableTransferAsync();
        var payer = await fixture.NewPageAsync(phone);

        await payer.GotoAsync("/portal/no-existe");
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Portal no disponible" })).ToBeVisibleAsync();
        await CheckAsync(payer, $"Portal no disponible ({device})");
        await payer.GotoAsync("/portal/c/no-es-un-enlace");
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Este enlace de pago no es válido" })).ToBeVisibleAsync();
        await CheckAsync(payer, $"Enlace no válido ({device})");

        await payer.GotoAsync($"/portal/{s.Code}");
        await payer.GetByLabel("RUT").FillAsync(s.FormattedRut);
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync("otro@correo.cl");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await Assertions.Expect(payer.GetByTestId("identify-error")).ToBeVisibleAsync();
        await CheckAsync(payer, $"Identificación fallida ({device})");
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync(PortalScenario.CustomerEmail);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Hola, Cliente Portal Ltda." })).ToBeVisibleAsync();

        await payer.GotoAsync($"/portal/{s.Code}/pagos");
        await Assertions.Expect(payer.GetByTestId("no-payments")).ToBeVisibleAsync();
        await CheckAsync(payer, $"Mis pagos vacío ({device})");

        // Factura 1 by transfer: the transfer page, then "por confirmar".
        await payer.GotoAsync($"/portal/{s.Code}/documentos");
        await payer.GetByLabel(new Regex("Factura N° 2")).UncheckAsync();
        await payer.GetByLabel(new Regex("Factura N° 3")).UncheckAsync();
        await payer.GetByLabel(new Regex("Transferencia bancaria")).CheckAsync();
        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $11.900" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Paga por transferencia" })).ToBeVisibleAsync();
        await CheckAsync(payer, $"Pagar por transferencia ({device})");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Informar transferencia" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Transferencia por confirmar" })).ToBeVisibleAsync();
        await CheckAsync(payer, $"Transferencia por confirmar ({device})");

        // Factura 2 with the Pasarela de prueba, rejected there: the failed result.
        await payer.GotoAsync($"/portal/{s.Code}/documentos");
        await payer.GetByLabel(new Regex("Factura N° 3")).UncheckAsync();
        await payer.GetByLabel(new Regex("Pasarela de prueba")).CheckAsync();
        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $23.800" }).ClickAsync();
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$23.800");
        await CheckAsync(payer, $"Pasarela de prueba ({device})");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Rechazar" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "El pago no se completó" })).ToBeVisibleAsync();
        await CheckAsync(payer, $"Pago no completado ({device})");

        await payer.GotoAsync($"/portal/{s.Code}/documentos");
        await CheckAsync(payer, $"Documentos con pago en proceso ({device})");
        await payer.GotoAsync($"/portal/{s.Code}/documentos/{s.DocumentIds[2]}");
        await CheckAsync(payer, $"Detalle de documento ({device})");
        await payer.GotoAsync($"/portal/{s.Code}/estado-de-cuenta");
        await CheckAsync(payer, $"Estado de cuenta ({device})");

        // Verificar con código: the page that asks for it.
        await s.Merchant.Client.FillAsync("/configuracion/portal-de-pagos/editar", new Dictionary<string, string?> { ["Input.VerifyWithCode"] = "true" });
        var second = await fixture.NewPageAsync(phone);
        await second.GotoAsync($"/portal/{s.Code}");
        await second.GetByLabel("RUT").FillAsync(s.FormattedRut);
        await second.GetByLabel("Correo electrónico o teléfono").FillAsync(PortalScenario.CustomerEmail);
        await second.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Revisa tu correo" })).ToBeVisibleAsync();
        await CheckAsync(second, $"Código de verificación ({device})");
        await second.Context.CloseAsync();
        await payer.Context.CloseAsync();
    }

    private static async Task CheckAsync(IPage page, string context)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, $"{context}: the page is wider than the screen ({page.Url}).");
        await Accessibility.AssertNoSeriousViolationsAsync(page, context);
    }
}
