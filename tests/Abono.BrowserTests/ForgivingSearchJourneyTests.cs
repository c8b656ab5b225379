using Abono.Tests.Infrastructure;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// Search as people type it: without accents or capitals, a RUT with or without dots and dash, a folio — in
/// Clientes, Documentos and Reportes → Pagos → Documentos adeudados.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ForgivingSearchJourneyTests(BrowserFixture fixture)
{
    private const string Rosa = "Almacén Doña Rosa";
    private const string Perno = "Ferretería El Perno";

    [Fact]
    public async Task Clientes_Documentos_and_the_owed_documents_report_find_what_was_typed_plainly()
    {
        var merchant = await Merchant.SignUpAsync(fixture.Factory, "Distribuidora Buscadora SpA");
        var rut = Rut.Parse(Merchant.NewRut(79_000_000));
        var rosa = await merchant.CreateCustomerAsync(rut: rut.Formatted, name: Rosa);
        var perno = await merchant.CreateCustomerAsync(name: Perno);
        var rosaDocument = Merchant.IdFrom(await merchant.IssueAsync(33, rosa, [("Harina 25 kg", 2, 18_500)]));
        await merchant.IssueAsync(33, perno, [("Clavos 3 pulgadas", 10, 2_300)]);
        long folio;
        await using (var scope = fixture.Factory.ScopeFor(merchant.CompanyId))
        {
            folio = await scope.Db.Documents.Where(d => d.Id == rosaDocument).Select(d => d.Folio).SingleAsync();
        }
        var withoutDots = rut.Normalized;                   // 79123456-7
        var digitsOnly = withoutDots.Replace("-", "");      // 791234567

        var page = await fixture.NewPageAsync();
        await Journey.SignInAsync(page, merchant.Email, merchant.Password);

        // Clientes
        await Journey.MainMenu(page).GetByRole(AriaRole.Link, new() { Name = "Clientes", Exact = true }).ClickAsync();
        await Journey.ArriveAsync(page, "/clientes");
        foreach (var typed in new[] { "almacen", "dona rosa", "ALMACÉN  doña", rut.Formatted, withoutDots, digitsOnly })
        {
            await SearchAsync(page, "Buscar por RUT, nombre o correo", "q", typed);
            await ExpectOnlyRosaAsync(page, $"Clientes «{typed}»");
        }
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Clientes filtrados");

        // Documentos: the customer's name or RUT, or the folio, in "Cliente (RUT o nombre)".
        await Journey.MainMenu(page).GetByRole(AriaRole.Link, new() { Name = "Documentos", Exact = true }).ClickAsync();
        await Journey.ArriveAsync(page, "/documentos");
        foreach (var typed in new[] { "dona rosa", "almacen", digitsOnly, folio.ToString() })
        {
            await SearchAsync(page, "Cliente (RUT o nombre)", "cliente", typed, button: "Filtrar");
            await ExpectOnlyRosaAsync(page, $"Documentos «{typed}»");
        }
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Documentos filtrados");

        // Reportes → Pagos → Documentos adeudados.
        // Each click waits for its page: Pagos has a "Cliente (RUT o nombre)" field too, so a search typed before
        // Documentos adeudados has loaded would land on Pagos.
        await Journey.MainMenu(page).GetByRole(AriaRole.Link, new() { Name = "Reportes", Exact = true }).ClickAsync();
        await Journey.ArriveAsync(page, "/reportes");
        await page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Pagos", Exact = true }).ClickAsync();
        await Journey.ArriveAsync(page, "/reportes/pagos");
        await page.GetByRole(AriaRole.Link, new() { Name = "Documentos adeudados" }).ClickAsync();
        await Journey.ArriveAsync(page, "/reportes/pagos/documentos-adeudados");
        foreach (var typed in new[] { "almacen", "DOÑA ROSA", withoutDots, rut.Formatted })
        {
            await SearchAsync(page, "Cliente (RUT o nombre)", "cliente", typed);
            await ExpectOnlyRosaAsync(page, $"Documentos adeudados «{typed}»");
            await Assertions.Expect(page.GetByTestId("total-debt")).ToHaveTextAsync("$44.030");
        }
        await Accessibility.AssertNoSeriousViolationsAsync(page, "Documentos adeudados filtrados");
        await page.Context.CloseAsync();
    }

    private static async Task SearchAsync(IPage page, string label, string parameter, string typed, string button = "Buscar")
    {
        await page.GetByLabel(label).FillAsync(typed);
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        // The results are the page the form leads to, with what was typed in its address.
        var path = new Uri(page.Url).AbsolutePath;
        await page.WaitForURLAsync(url =>
            new Uri(url).AbsolutePath == path
            && QueryHelpers.ParseQuery(new Uri(url).Query).TryGetValue(parameter, out var value) && value == typed);
    }

    private static async Task ExpectOnlyRosaAsync(IPage page, string what)
    {
        var main = page.Locator("main");
        await Assertions.Expect(main.GetByRole(AriaRole.Cell, new() { Name = Rosa }).Or(main.GetByRole(AriaRole.Link, new() { Name = Rosa })).First)
            .ToBeVisibleAsync();
        Assert.False(await main.GetByText(Perno).IsVisibleAsync(), $"{what} also lists {Perno}.");
    }
}
