using Abono.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>Reportes → Pagos → Conciliar cartola: upload a bank's CSV, see the exact match, confirm it, on a phone-sized screen.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CartolaJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Upload_a_cartola_and_confirm_the_exact_match()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, documents: 2);
        var office = await fixture.NewPageAsync(phone: true);
        await Journey.SignInAsync(office, s.Merchant.Email, s.Merchant.Password);

        await office.GotoAsync("/reportes/pagos");
        await office.GetByRole(AriaRole.Link, new() { Name = "Conciliar cartola" }).ClickAsync();
        await Assertions.Expect(office.GetByText("Aún no has subido cartolas")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(office, "Conciliar cartola, vacía");

        var today = DateTime.Today.ToString("dd/MM/yyyy");
        var csv = "Fecha;Sucursal;Descripción;N° Documento;Cheques y otros cargos;Depósitos y Abono;Saldo diario\n"
            + $"{today};OF VIRT U;TRANSF DE {s.FormattedRut} CLIENTE PORTAL;1001;0;23.800;100.000\n"
            + $"{today};OF VIRT U;PAGO PROVEEDOR;1002;5.000;0;95.000\n";
        await office.GetByLabel("Archivo de la cartola").SetInputFilesAsync(new FilePayload
        {
            Name = "cartola-bci.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv),
        });
        await office.GetByLabel("Banco", new() { Exact = true }).SelectOptionAsync("Bci");
        await office.GetByRole(AriaRole.Button, new() { Name = "Leer cartola" }).ClickAsync();
        await Assertions.Expect(office.GetByText("1 abonos, 1 nuevos").First).ToBeVisibleAsync();
        await Assertions.Expect(office.GetByTestId("cartola-exact")).ToContainTextAsync("RUT y saldo del documento");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "Conciliar cartola, propuestas");

        await office.GetByRole(AriaRole.Button, new() { Name = "Confirmar seleccionados" }).ClickAsync();
        await Assertions.Expect(office.GetByText("1 abonos confirmados").First).ToBeVisibleAsync();
        await Assertions.Expect(office.GetByTestId("cartola-credits")).ToContainTextAsync("Confirmado");
        await Accessibility.AssertNoSeriousViolationsAsync(office, "Conciliar cartola, confirmado");
        await office.Context.CloseAsync();

        await using var scope = fixture.Factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Id == s.DocumentIds[1])).Balance);
        Assert.Equal(23_800, (await scope.Db.Payments.SingleAsync()).Amount);
    }
}
