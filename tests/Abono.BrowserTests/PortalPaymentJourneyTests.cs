using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>Step 3 of the product (docs/product.md) in a browser, once per kind of link: pay two documents with the Sandbox and see the receipt and the books.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalPaymentJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Company_link_identify_select_two_documents_pay_and_see_them_paid_in_the_back_office()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory);
        var payer = await fixture.NewPageAsync(phone: true);

        await payer.GotoAsync($"/portal/{s.Code}");
        await Assertions.Expect(payer.GetByTestId("portal-title")).ToHaveTextAsync("Paga a Distribuidora Portal");
        await Assertions.Expect(payer.GetByText("Paga a Distribuidora Portal", new() { Exact = true })).ToHaveCountAsync(1);
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Identifícate para ver tus documentos" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal: identificación");
        await payer.GetByLabel("RUT").FillAsync(s.FormattedRut);
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync("+56 9 6123 4567");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();

        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Hola, Cliente Portal Ltda." })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal: documentos pendientes");
        await Assertions.Expect(payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $71.400" })).ToBeVisibleAsync();
        await payer.GetByLabel(new Regex("Factura N° 3")).UncheckAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $35.700" })).ToBeVisibleAsync();
        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $35.700" }).ClickAsync();

        // Exact: the portal being left has a "Modo de prueba: no ingreses datos reales." line.
        await Assertions.Expect(payer.GetByText("MODO DE PRUEBA · no se mueve dinero real", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$35.700");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Aprobar" }).ClickAsync();

        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "¡Pago realizado!" })).ToBeVisibleAsync();
        await Assertions.Expect(payer.GetByTestId("receipt-amount")).ToHaveTextAsync("$35.700");
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal: comprobante");
        var download = await payer.RunAndWaitForDownloadAsync(() => payer.GetByRole(AriaRole.Link, new() { Name = "Descargar comprobante" }).ClickAsync());
        Assert.EndsWith(".pdf", download.SuggestedFilename);
        var overflow = await payer.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The receipt page is wider than the phone screen.");

        // The business sees it: documents paid, the payment listed on the customer.
        var office = await fixture.NewPageAsync();
        await Journey.SignInAsync(office, s.Merchant.Email, s.Merchant.Password);
        await office.GotoAsync($"/clientes/{s.CustomerId}");
        await Assertions.Expect(office.GetByTestId("customer-balance")).ToHaveTextAsync("$35.700");
        await Assertions.Expect(office.GetByTestId("customer-payments")).ToContainTextAsync("$35.700");
        await office.GotoAsync($"/documentos/{s.DocumentIds[0]}");
        await Assertions.Expect(office.GetByText("Pagado").First).ToBeVisibleAsync();
        await Assertions.Expect(office.GetByTestId("payment-history")).ToContainTextAsync("Pago N°");
        await payer.Context.CloseAsync();
        await office.Context.CloseAsync();
    }

    [Fact]
    public async Task Customer_link_copied_from_the_back_office_opens_the_documents_and_pays()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, documents: 2);
        var office = await fixture.NewPageAsync();
        await office.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = fixture.BaseUrl });
        await Journey.SignInAsync(office, s.Merchant.Email, s.Merchant.Password);
        await office.GotoAsync($"/clientes/{s.CustomerId}");
        await office.GetByRole(AriaRole.Link, new() { Name = "Portal de pagos" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("Código QR") })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(office, "Enlace de pago del cliente");
        var link = await office.GetByTestId("customer-link").InputValueAsync();
        Assert.Matches("/portal/c/", link);
        await Journey.CopyAsync(office.GetByRole(AriaRole.Button, new() { Name = "Copiar" }), link);

        var payer = await fixture.NewPageAsync(phone: true);
        await payer.GotoAsync(link);
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Hola, Cliente Portal Ltda." })).ToBeVisibleAsync();
        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $35.700" }).ClickAsync();
        await payer.GetByRole(AriaRole.Button, new() { Name = "Aprobar" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "¡Pago realizado!" })).ToBeVisibleAsync();
        await Assertions.Expect(payer.GetByText("Factura N° 2: $23.800 · Pagado")).ToBeVisibleAsync();

        await office.GotoAsync($"/clientes/{s.CustomerId}");
        await Assertions.Expect(office.GetByTestId("customer-balance")).ToHaveTextAsync("$0");
        await payer.Context.CloseAsync();
        await office.Context.CloseAsync();
    }

    [Fact]
    public async Task A_payer_pays_a_document_through_Webpays_own_pages_and_comes_back_to_the_receipt()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, documents: 1);
        await GatewayScenario.AddAndEnableAsync(s, Abono.Web.Gateways.GatewayKind.Webpay);
        var payer = await fixture.NewPageAsync(phone: true);
        await payer.GotoAsync($"/portal/{s.Code}");
        await payer.GetByLabel("RUT").FillAsync(s.FormattedRut);
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync(PortalScenario.CustomerEmail);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await Assertions.Expect(payer.GetByText("Webpay Plus").First).ToBeVisibleAsync();
        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $11.900" }).ClickAsync();

        // Our page posts token_ws to Webpay by itself (site.js); the payer lands on Transbank's form.
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Webpay Plus" })).ToBeVisibleAsync();
        Assert.StartsWith(fixture.Fakes.BaseUrl.ToString().TrimEnd('/'), payer.Url);
        await payer.GetByLabel("Número de tarjeta").SelectOptionAsync("4051885600446623");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar", Exact = true }).ClickAsync();

        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "¡Pago realizado!" })).ToBeVisibleAsync();
        await Assertions.Expect(payer.GetByTestId("receipt-amount")).ToHaveTextAsync("$11.900");
        Assert.StartsWith(fixture.BaseUrl, payer.Url);
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal: comprobante tras Webpay");

        // The business refunds part of it from the payment's detail.
        long paymentId;
        await using (var scope = fixture.Factory.ScopeFor(s.Merchant.CompanyId))
        {
            paymentId = (await scope.Db.Payments.SingleAsync()).Id;
        }
        var office = await fixture.NewPageAsync();
        await Journey.SignInAsync(office, s.Merchant.Email, s.Merchant.Password);
        await office.GotoAsync($"/reportes/pagos/{paymentId}");
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "Reembolsos" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(office, "Pago: detalle con Reembolsar");
        await office.GetByLabel("Monto a reembolsar (pesos)").FillAsync("1900");
        await office.GetByRole(AriaRole.Button, new() { Name = "Reembolsar" }).ClickAsync();
        await Assertions.Expect(office.GetByText("Reembolsamos $1.900")).ToBeVisibleAsync();
        await Assertions.Expect(office.GetByTestId("refunds")).ToContainTextAsync("Reembolsado");
        await payer.Context.CloseAsync();
        await office.Context.CloseAsync();
    }
}
