using Abono.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Abono.Web.Gateways;

namespace Abono.BrowserTests;

/// <summary>
/// A payer pays a document through Khipu, Flow or Fintoc's own pages (the local fakes, as strict as the providers) and
/// comes back to the receipt; the business then sees the document paid.
/// </summary>
[Collection(BrowserCollection.Name)]
public class BankRailsJourneyTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(GatewayKind.Khipu, "Khipu", "Pagar con DemoBank")]
    [InlineData(GatewayKind.Flow, "Flow", "Pagar con Webpay (tarjeta de prueba 4051 8856 0044 6623)")]
    [InlineData(GatewayKind.Fintoc, "Fintoc", "Pagar desde cuenta personal (Banco de Chile)")]
    public async Task A_payer_pays_through_the_providers_page_on_a_phone_and_comes_back_to_the_receipt(GatewayKind kind, string heading, string payButton)
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, documents: 1);
        await GatewayScenario.AddAndEnableAsync(s, kind);
        var payer = await fixture.NewPageAsync(phone: true);
        await payer.GotoAsync($"/portal/{s.Code}");
        await payer.GetByLabel("RUT").FillAsync(s.FormattedRut);
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync(PortalScenario.CustomerEmail);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await Assertions.Expect(payer.GetByText(kind.Name()).First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(payer, $"Portal: documentos con {kind.Name()}");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $11.900" }).ClickAsync();

        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
        Assert.StartsWith(fixture.Fakes.BaseUrl.ToString().TrimEnd('/'), payer.Url);
        if (kind == GatewayKind.Khipu)
        {
            // Khipu only lets the customer's own RUT pay (fixed_payer_personal_identifier).
            await Assertions.Expect(payer.GetByTestId("fixed-payer")).ToContainTextAsync(s.CustomerRut.Split('-')[0][^3..]);
        }
        await payer.GetByRole(AriaRole.Button, new() { Name = payButton }).ClickAsync();

        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "¡Pago realizado!" })).ToBeVisibleAsync();
        await Assertions.Expect(payer.GetByTestId("receipt-amount")).ToHaveTextAsync("$11.900");
        Assert.StartsWith(fixture.BaseUrl, payer.Url);
        await Accessibility.AssertNoSeriousViolationsAsync(payer, $"Portal: comprobante tras {kind.Name()}");

        await using (var scope = fixture.Factory.ScopeFor(s.Merchant.CompanyId))
        {
            var payment = await scope.Db.Payments.SingleAsync();
            Assert.Equal(kind, payment.Method);
            Assert.Equal(11_900, payment.Amount);
            Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Id == s.DocumentIds[0])).Balance);
        }
        await payer.Context.CloseAsync();
    }
}
