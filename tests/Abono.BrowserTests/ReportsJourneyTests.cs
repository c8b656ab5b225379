using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>The help article's customer-link path, exactly: Reportes → Pagos → Documentos adeudados → Buscar → portal icon → copy.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportsJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Reportes_Pagos_Documentos_adeudados_Buscar_portal_icon_copy_and_open()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, documents: 2);
        var office = await fixture.NewPageAsync();
        await office.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = fixture.BaseUrl });
        await Journey.SignInAsync(office, s.Merchant.Email, s.Merchant.Password);
        await Accessibility.AssertNoSeriousViolationsAsync(office, "Inicio con gráficos");

        await office.GetByRole(AriaRole.Link, new() { Name = "Reportes", Exact = true }).ClickAsync();
        await office.GetByRole(AriaRole.Link, new() { Name = "Pagos", Exact = true }).ClickAsync();
        await Journey.ArriveAsync(office, "/reportes/pagos");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "Reportes → Pagos");
        await office.GetByRole(AriaRole.Link, new() { Name = "Documentos adeudados" }).ClickAsync();
        await office.GetByRole(AriaRole.Button, new() { Name = "Buscar" }).ClickAsync();
        await Assertions.Expect(office.GetByTestId("owed-table").Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(office.GetByTestId("total-debt")).ToHaveTextAsync("$35.700");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "Documentos adeudados");

        await office.GetByRole(AriaRole.Link, new() { Name = "Portal de pagos de Cliente Portal Ltda." }).First.ClickAsync();
        await Journey.ArriveAsync(office, new Regex(@"^/clientes/\d+/portal$"));
        var link = await office.GetByTestId("customer-link").InputValueAsync();
        Assert.Matches(new Regex("/portal/c/"), link);
        await Journey.CopyAsync(office.GetByRole(AriaRole.Button, new() { Name = "Copiar" }), link);

        // A fresh browser context: nothing shared with the back office.
        var customer = await fixture.NewPageAsync(phone: true);
        await customer.GotoAsync(link);
        await Assertions.Expect(customer.GetByRole(AriaRole.Heading, new() { Name = "Hola, Cliente Portal Ltda." })).ToBeVisibleAsync();
        await Assertions.Expect(customer.Locator("input[name='Input.DocumentIds']")).ToHaveCountAsync(2);
        await office.Context.CloseAsync();
        await customer.Context.CloseAsync();
    }
}
