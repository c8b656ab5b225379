using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Abono.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// The payer's page the way people use it, not the way it was built: preview then pay, change the selection after a
/// preview, type an amount and pay at once, come back from the gateway, reload, double click, two tabs, keyboard
/// only, no JavaScript. Each runs on a phone (390×844) and on a desktop. After every sequence the books are checked:
/// exactly one checkout, for exactly the amount the Pagar button showed.
/// The scenario's documents: Factura 1 $11.900 (due first), 2 $23.800, 3 $35.700 — $71.400 in all; abono mínimo $5.000.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PayerJourneyTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Preview_a_partial_payment_then_pay_charges_exactly_the_previewed_amount(bool phone)
    {
        var (s, payer) = await SignedInPayerAsync(phone, allowPartial: true);
        await payer.GetByLabel("Monto a pagar").FillAsync("20.000");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver cómo queda" }).ClickAsync();

        // The preview is a page of its own (reload- and back-safe), oldest due date first.
        await Assertions.Expect(payer).ToHaveURLAsync(new Regex("documentos=.*monto=20.000"));
        await Assertions.Expect(payer.GetByTestId($"preview-{s.DocumentIds[0]}")).ToHaveTextAsync("Con tu abono quedará en $0");
        await Assertions.Expect(payer.GetByTestId($"preview-{s.DocumentIds[1]}")).ToHaveTextAsync("Con tu abono quedará en $15.700");
        await Assertions.Expect(payer.GetByTestId($"preview-{s.DocumentIds[2]}")).ToBeHiddenAsync();
        await AssertFitsAndIsAccessibleAsync(payer, "Portal: vista previa de un abono");
        await payer.ReloadAsync();
        await Assertions.Expect(payer.GetByTestId($"preview-{s.DocumentIds[1]}")).ToHaveTextAsync("Con tu abono quedará en $15.700");

        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $20.000" }).ClickAsync();
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$20.000");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Aprobar" }).ClickAsync();
        await Assertions.Expect(payer.GetByTestId("receipt-amount")).ToHaveTextAsync("$20.000");
        await AssertOneCheckoutAsync(s, 20_000);
        await payer.Context.CloseAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_pay_button_follows_the_typed_amount_and_refuses_one_outside_the_rules(bool phone)
    {
        var (s, payer) = await SignedInPayerAsync(phone, allowPartial: true);
        var pay = payer.Locator("[data-pay-button]");
        await Assertions.Expect(pay).ToHaveTextAsync("Pagar $71.400");
        foreach (var folio in new[] { 1, 2, 3 })
        {
            await payer.GetByLabel(new Regex($"Factura N° {folio}")).UncheckAsync();
        }
        await Assertions.Expect(payer.GetByText("Selecciona al menos un documento.")).ToBeVisibleAsync();
        await Assertions.Expect(pay).ToBeDisabledAsync();
        foreach (var folio in new[] { 1, 2, 3 })
        {
            await payer.GetByLabel(new Regex($"Factura N° {folio}")).CheckAsync();
        }
        await Assertions.Expect(pay).ToHaveTextAsync("Pagar $71.400");

        await payer.GetByLabel("Monto a pagar").FillAsync("500.000");
        await Assertions.Expect(payer.GetByText("Puedes abonar entre $5.000 y $71.400.")).ToBeVisibleAsync();
        await Assertions.Expect(pay).ToBeDisabledAsync();
        await Assertions.Expect(pay).ToHaveTextAsync("Pagar");

        // Each message replaces the one before in the same place, so "abc" comes between two amounts out of range.
        await payer.GetByLabel("Monto a pagar").FillAsync("abc");
        await Assertions.Expect(payer.GetByText("Escribe el monto en pesos")).ToBeVisibleAsync();
        await payer.GetByLabel("Monto a pagar").FillAsync("1.000");
        await Assertions.Expect(payer.GetByText("Puedes abonar entre $5.000 y $71.400.")).ToBeVisibleAsync();

        await payer.GetByLabel("Monto a pagar").FillAsync("30000");
        await Assertions.Expect(pay).ToHaveTextAsync("Pagar $30.000");
        await Assertions.Expect(payer.GetByTestId("pay-total")).ToHaveTextAsync("$30.000");
        await Assertions.Expect(payer.GetByTestId($"preview-{s.DocumentIds[1]}")).ToHaveTextAsync("Con tu abono quedará en $5.700");
        await pay.ClickAsync();
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$30.000");
        await AssertOneCheckoutAsync(s, 30_000);
        await payer.Context.CloseAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Changing_the_selection_after_a_preview_pays_the_new_total(bool phone)
    {
        var (s, payer) = await SignedInPayerAsync(phone, allowPartial: true);
        await payer.GetByLabel("Monto a pagar").FillAsync("20.000");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver cómo queda" }).ClickAsync();
        // The page being left says "Pagar $20.000" too (the script follows the typed amount): wait for the preview.
        await payer.WaitForURLAsync(new Regex("documentos=.*monto=20.000"));
        await Assertions.Expect(payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $20.000" })).ToBeVisibleAsync();

        // The payer changes their mind: only Factura 3, in full.
        await payer.GetByLabel(new Regex("Factura N° 1")).UncheckAsync();
        await payer.GetByLabel(new Regex("Factura N° 2")).UncheckAsync();
        await payer.GetByLabel("Monto a pagar").FillAsync("");
        var pay = payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $35.700" });
        await Assertions.Expect(pay).ToBeVisibleAsync();
        await pay.ClickAsync();
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$35.700");
        await AssertOneCheckoutAsync(s, 35_700);
        await payer.Context.CloseAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Back_from_the_gateway_and_reload_then_continue_the_same_payment(bool phone)
    {
        var (s, payer) = await SignedInPayerAsync(phone);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $71.400" }).ClickAsync();
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$71.400");
        var gatewayPage = payer.Url;

        await payer.GoBackAsync();
        await Assertions.Expect(payer.GetByText("Tienes un pago en curso de $71.400")).ToBeVisibleAsync();
        await Assertions.Expect(payer.GetByText("Pago en proceso").First).ToBeVisibleAsync();
        await payer.ReloadAsync();
        await Assertions.Expect(payer.GetByText("Tienes un pago en curso de $71.400")).ToBeVisibleAsync();
        await AssertFitsAndIsAccessibleAsync(payer, "Portal: pago en curso");

        await payer.GetByRole(AriaRole.Button, new() { Name = "Continuar el pago" }).ClickAsync();
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$71.400");
        Assert.Equal(gatewayPage, payer.Url);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Aprobar" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "¡Pago realizado!" })).ToBeVisibleAsync();
        await AssertOneCheckoutAsync(s, 71_400);
        await payer.GotoAsync($"/portal/{s.Code}/documentos");
        await Assertions.Expect(payer.GetByTestId("nothing-pending")).ToBeVisibleAsync();
        await payer.Context.CloseAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_double_click_on_Pagar_starts_one_checkout(bool phone)
    {
        var (s, payer) = await SignedInPayerAsync(phone);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $71.400" }).DblClickAsync();
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$71.400");
        await AssertOneCheckoutAsync(s, 71_400);
        await payer.Context.CloseAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_tabs_paying_the_same_documents_start_one_checkout_and_the_second_can_continue_it(bool phone)
    {
        var (s, first) = await SignedInPayerAsync(phone);
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync($"/portal/{s.Code}/documentos");
        await Assertions.Expect(second.GetByRole(AriaRole.Button, new() { Name = "Pagar $71.400" })).ToBeVisibleAsync();

        await first.GetByRole(AriaRole.Button, new() { Name = "Pagar $71.400" }).ClickAsync();
        await Assertions.Expect(first.GetByTestId("sandbox-amount")).ToHaveTextAsync("$71.400");
        await second.GetByRole(AriaRole.Button, new() { Name = "Pagar $71.400" }).ClickAsync();
        await Assertions.Expect(second.GetByTestId("pay-error")).ToContainTextAsync("pago en proceso");
        await Assertions.Expect(second.GetByRole(AriaRole.Button, new() { Name = "Continuar el pago" })).ToBeVisibleAsync();
        await AssertOneCheckoutAsync(s, 71_400);

        await first.GetByRole(AriaRole.Button, new() { Name = "Aprobar" }).ClickAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Heading, new() { Name = "¡Pago realizado!" })).ToBeVisibleAsync();
        await second.ReloadAsync();
        await Assertions.Expect(second.GetByTestId("nothing-pending")).ToBeVisibleAsync();
        await AssertOneCheckoutAsync(s, 71_400);
        await first.Context.CloseAsync();
    }

    [Fact]
    public async Task A_keyboard_only_payer_selects_one_document_and_pays_it()
    {
        var (s, payer) = await SignedInPayerAsync(phone: false);
        var third = payer.GetByLabel(new Regex("Factura N° 3"));
        await third.FocusAsync();
        await payer.Keyboard.PressAsync("Space");
        await Assertions.Expect(third).Not.ToBeCheckedAsync();
        var second = payer.GetByLabel(new Regex("Factura N° 2"));
        await second.FocusAsync();
        await payer.Keyboard.PressAsync("Space");
        await Assertions.Expect(payer.Locator("[data-pay-button]")).ToHaveTextAsync("Pagar $11.900");

        // Tab forward from the last document until Pagar has focus; the focus ring must be visible on the way.
        for (var i = 0; i < 12 && !await payer.Locator("[data-pay-button]").EvaluateAsync<bool>("b => b === document.activeElement"); i++)
        {
            await payer.Keyboard.PressAsync("Tab");
            var outline = await payer.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
            Assert.NotEqual("none", outline);
        }
        await payer.Keyboard.PressAsync("Enter");
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$11.900");
        await AssertOneCheckoutAsync(s, 11_900);
        await payer.Context.CloseAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Without_JavaScript_preview_and_pay_work_and_an_amount_changed_without_preview_is_shown_before_charging(bool phone)
    {
        var (s, payer) = await SignedInPayerAsync(phone, allowPartial: true, javaScript: false);
        await payer.GetByLabel("Monto a pagar").FillAsync("20.000");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver cómo queda" }).ClickAsync();
        await Assertions.Expect(payer.GetByTestId($"preview-{s.DocumentIds[1]}")).ToHaveTextAsync("Con tu abono quedará en $15.700");
        var pay = payer.Locator("[data-pay-button]");
        await Assertions.Expect(pay).ToHaveTextAsync("Pagar $20.000");

        // Types a new amount and presses Pagar straight away: the button said $20.000, so nothing is charged yet.
        await payer.GetByLabel("Monto a pagar").FillAsync("25.000");
        await pay.ClickAsync();
        await Assertions.Expect(payer.GetByTestId("pay-error")).ToContainTextAsync("El total a pagar es $25.000");
        await Assertions.Expect(pay).ToHaveTextAsync("Pagar $25.000");
        await AssertNoCheckoutAsync(s);

        await pay.ClickAsync();
        await Assertions.Expect(payer.GetByTestId("sandbox-amount")).ToHaveTextAsync("$25.000");
        await AssertOneCheckoutAsync(s, 25_000);
        await payer.Context.CloseAsync();
    }

    private async Task<(PortalScenario Scenario, IPage Payer)> SignedInPayerAsync(bool phone, bool allowPartial = false, bool javaScript = true)
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, allowPartial: allowPartial);
        var payer = await fixture.NewPageAsync(phone, javaScript);
        await payer.GotoAsync($"/portal/{s.Code}");
        await payer.GetByLabel("RUT").FillAsync(s.FormattedRut);
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync(PortalScenario.CustomerEmail);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Hola, Cliente Portal Ltda." })).ToBeVisibleAsync();
        return (s, payer);
    }

    /// <summary>No horizontal scroll, every checkbox and radio row at least 44 px tall, and axe clean.</summary>
    private static async Task AssertFitsAndIsAccessibleAsync(IPage page, string context)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, $"{context}: the page is wider than the screen.");
        var small = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')].map(i => i.closest('label') || i)" +
            ".filter(t => t.getBoundingClientRect().height < 44).map(t => t.textContent.trim().slice(0, 40))");
        Assert.True(small.Length == 0, $"{context}: tap targets under 44 px: {string.Join(", ", small)}");
        await Accessibility.AssertNoSeriousViolationsAsync(page, context);
    }

    private async Task AssertOneCheckoutAsync(PortalScenario s, long amount)
    {
        await using var scope = fixture.Factory.ScopeFor(s.Merchant.CompanyId);
        var checkouts = await scope.Db.Checkouts.AsNoTracking().Where(c => c.Purpose == CheckoutPurpose.DocumentPayment).ToListAsync();
        var checkout = Assert.Single(checkouts);
        Assert.Equal(amount, checkout.Amount);
        var payments = await scope.Db.Payments.AsNoTracking().ToListAsync();
        Assert.True(payments.Count <= 1 && payments.All(p => p.Amount == amount), $"payments: {string.Join(", ", payments.Select(p => p.Amount))}");
    }

    private async Task AssertNoCheckoutAsync(PortalScenario s)
    {
        await using var scope = fixture.Factory.ScopeFor(s.Merchant.CompanyId);
        Assert.False(await scope.Db.Checkouts.AnyAsync(c => c.Purpose == CheckoutPurpose.DocumentPayment));
    }
}
