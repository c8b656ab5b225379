using Abono.Tests.Infrastructure;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Chile;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>Issue 16 item 4 on a phone: a payer sees a ceded factura, who to pay instead, and cannot select it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CededFacturaJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_payer_sees_a_ceded_factura_with_who_to_pay_and_cannot_select_it()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, documents: 2);
        var rut = Merchant.NewRut(76_000_000);
        await using (var scope = fixture.Factory.ScopeFor(s.Merchant.CompanyId))
        {
            var result = await scope.Get<DocumentCessions>().RecordAsync(scope.Db, s.DocumentIds[0], 1, rut, "Factoring Sur SpA", DateTime.UtcNow, null,
                CessionSource.Aec, null, "AEC", default);
            Assert.Equal(CessionOutcome.Recorded, result.Outcome);
        }

        var payer = await fixture.NewPageAsync(phone: true);
        await payer.GotoAsync($"/portal/{s.Code}");
        await payer.GetByLabel("RUT").FillAsync(s.FormattedRut);
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync(PortalScenario.CustomerEmail);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Hola, Cliente Portal Ltda." })).ToBeVisibleAsync();

        var ceded = payer.GetByTestId($"doc-{s.DocumentIds[0]}");
        await Assertions.Expect(ceded).ToContainTextAsync(
            $"Esta factura fue cedida a Factoring Sur SpA ({Rut.Parse(rut).Formatted}). Págala directamente a ellos.");
        await Assertions.Expect(ceded.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);
        await Assertions.Expect(payer.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(1);
        await Assertions.Expect(payer.GetByTestId("pay-total")).ToHaveTextAsync("$23.800");
        // Unticking the only payable one leaves nothing to pay: the ceded one never joins the total.
        await payer.GetByRole(AriaRole.Checkbox).UncheckAsync();
        await Assertions.Expect(payer.GetByTestId("pay-total")).ToHaveTextAsync("—");
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal: factura cedida");
        await payer.Context.CloseAsync();
    }
}
