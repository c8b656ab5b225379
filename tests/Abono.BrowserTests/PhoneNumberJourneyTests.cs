using Abono.Tests.Infrastructure;
using Abono.Web.Platform.Chile;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>The customer form takes a phone however Chileans write it and shows it one way; a wrong one is told at the field.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneNumberJourneyTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Nuevo_cliente_accepts_a_phone_written_every_common_way_and_shows_it_as_plus_56(bool phone)
    {
        var device = phone ? "teléfono" : "escritorio";
        var merchant = await Merchant.SignUpAsync(fixture.Factory);
        var page = await fixture.NewPageAsync(phone);
        await Journey.SignInAsync(page, merchant.Email, merchant.Password);

        foreach (var (typed, shown) in new[]
        {
            ("+56 9 1234 5678", "+56 9 1234 5678"),
            ("912345678", "+56 9 1234 5678"),
            ("+56-9-1234-5678", "+56 9 1234 5678"),
            ("(2) 2345 6789", "+56 2 2345 6789"),
        })
        {
            var name = $"Cliente {typed}";
            await Journey.MainMenu(page).GetByRole(AriaRole.Link, new() { Name = "Clientes", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Nuevo cliente" }).ClickAsync();
            // Clientes has a "Buscar por RUT, nombre o correo" field: the form's own RUT, once the form is there.
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nuevo cliente", Level = 1, Exact = true })).ToBeVisibleAsync();
            await page.GetByLabel("RUT", new() { Exact = true }).FillAsync(Rut.Parse(Merchant.NewRut(83_000_000)).Formatted);
            await page.GetByLabel("Nombre o razón social").FillAsync(name);
            await page.GetByLabel("Correo electrónico").FillAsync("pagos@cliente.cl");
            await page.GetByLabel("Teléfono").FillAsync(typed);
            await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("dt:text-is('Teléfono') + dd")).ToHaveTextAsync(shown);
            await page.GetByRole(AriaRole.Link, new() { Name = "Editar" }).First.ClickAsync();
            await Assertions.Expect(page.GetByLabel("Teléfono")).ToHaveValueAsync(shown);
        }
        await Journey.MainMenu(page).GetByRole(AriaRole.Link, new() { Name = "Clientes", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Cliente (2) 2345 6789" })).ToContainTextAsync("+56 2 2345 6789");
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Clientes con teléfonos ({device})");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_phone_that_is_not_a_chilean_number_gets_a_spanish_message_next_to_the_field(bool phone)
    {
        var device = phone ? "teléfono" : "escritorio";
        var merchant = await Merchant.SignUpAsync(fixture.Factory);
        var page = await fixture.NewPageAsync(phone);
        await Journey.SignInAsync(page, merchant.Email, merchant.Password);

        await page.GotoAsync("/clientes/nuevo");
        await page.GetByLabel("RUT").FillAsync(Rut.Parse(Merchant.NewRut(84_000_000)).Formatted);
        await page.GetByLabel("Nombre o razón social").FillAsync("Cliente Número Corto");
        await page.GetByLabel("Teléfono").FillAsync("1234 567");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();

        var field = page.GetByLabel("Teléfono");
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(field).ToHaveAccessibleDescriptionAsync("Ingresa un teléfono chileno válido, por ejemplo +56 9 1234 5678.");
        await Assertions.Expect(field).ToHaveValueAsync("1234 567");
        await Assertions.Expect(page.GetByLabel("Nombre o razón social")).ToHaveValueAsync("Cliente Número Corto");
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"Nuevo cliente con un teléfono inválido ({device})");
        await page.Context.CloseAsync();
    }
}
