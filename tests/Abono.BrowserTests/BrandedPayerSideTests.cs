using System.Text.Json;
using System.Text.RegularExpressions;
using Abono.Web.Platform.Outbox;
using Microsoft.EntityFrameworkCore;
using Abono.Tests.Infrastructure;
using Microsoft.Playwright;
using SkiaSharp;

namespace Abono.BrowserTests;

/// <summary>
/// The business gives the portal its brand in Configuración → Portal de pagos → Marca y contacto, and its payer sees
/// it on every page: the documents (with an abono previewed), the receipt, the statement. Run with
/// <c>ABONO_SCREENSHOTS=docs/screens</c> (a path from the repository root) to refresh the README's screenshots; otherwise
/// they go to a temporary folder and only the assertions count.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrandedPayerSideTests(BrowserFixture fixture)
{
    private const string Accent = "#7a1f5c";

    [Fact]
    public async Task A_business_brands_its_portal_and_the_payer_sees_that_brand_on_documents_receipt_and_statement()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, allowPartial: true);
        var office = await fixture.NewPageAsync();
        await Journey.SignInAsync(office, s.Merchant.Email, s.Merchant.Password);
        await office.GotoAsync("/configuracion/portal-de-pagos");
        await office.GetByRole(AriaRole.Link, new() { Name = "Editar la marca y el contacto del portal" }).ClickAsync();
        await office.GetByLabel("Imagen del logo").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = Logo() });
        await office.GetByLabel("Color de tu marca").FillAsync(Accent);
        await office.GetByLabel("Correo de contacto").FillAsync("cobranza@distribuidora.cl");
        await office.GetByLabel("Teléfono de contacto").FillAsync("+56 2 2345 6789");
        await office.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(office.GetByText("Marca y contacto del Portal de pagos guardados.")).ToBeVisibleAsync();
        await Assertions.Expect(office.GetByTestId("current-logo")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(office, "Marca y contacto");
        await Journey.ScreenshotAsync(office, "configuracion-marca.png");

        var payer = await fixture.NewPageAsync(phone: true);
        await payer.GotoAsync($"/portal/{s.Code}");
        await AssertBrandedAsync(payer);
        await payer.GetByLabel("RUT").FillAsync(s.FormattedRut);
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync(PortalScenario.CustomerEmail);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await payer.GetByLabel("Monto a pagar").FillAsync("20.000");
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver cómo queda" }).ClickAsync();
        // The page being left says "Pagar $20.000" too (the script follows the typed amount): wait for the preview.
        await payer.WaitForURLAsync(new Regex("documentos=.*monto=20.000"));
        await Assertions.Expect(payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $20.000" })).ToBeVisibleAsync();
        await AssertBrandedAsync(payer);
        await Assertions.Expect(payer.GetByText("Abono no ve los datos de tu tarjeta").Or(payer.GetByText("Modo de prueba: no ingreses datos reales."))).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal con marca: documentos");
        await Journey.ScreenshotAsync(payer, "portal-documentos.png");

        await payer.GetByRole(AriaRole.Button, new() { Name = "Pagar $20.000" }).ClickAsync();
        await payer.GetByRole(AriaRole.Button, new() { Name = "Aprobar" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "¡Pago realizado!" })).ToBeVisibleAsync();
        await Assertions.Expect(payer.GetByTestId("receipt-number")).ToHaveTextAsync(new Regex(@"^P-\d{6}$"));
        await AssertBrandedAsync(payer);
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal con marca: comprobante");
        await Journey.ScreenshotAsync(payer, "portal-comprobante.png");

        await ShotReceiptEmailAsync(s);

        await payer.GotoAsync($"/portal/{s.Code}/estado-de-cuenta");
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Estado de cuenta" })).ToBeVisibleAsync();
        await AssertBrandedAsync(payer);
        await Accessibility.AssertNoSeriousViolationsAsync(payer, "Portal con marca: estado de cuenta");
        await Journey.ScreenshotAsync(payer, "portal-estado-de-cuenta.png");
        await payer.Context.CloseAsync();
        await office.Context.CloseAsync();
    }

    /// <summary>The receipt email the customer got, rendered as a mail client would (inline logo as data:), in the brand.</summary>
    private async Task ShotReceiptEmailAsync(PortalScenario s)
    {
        EmailMessage email;
        await using (var scope = fixture.Factory.ScopeFor(s.Merchant.CompanyId))
        {
            var payloads = await scope.Db.Outbox.AsNoTracking().Where(m => (m.Kind == OutboxMessage.EmailKind || m.Kind == OutboxMessage.RenderedEmailKind) && m.CompanyId == s.Merchant.CompanyId).Select(m => m.Payload).ToListAsync();
            email = payloads.Select(p => JsonSerializer.Deserialize<EmailMessage>(p)!)
                .Single(m => m.To == PortalScenario.CustomerEmail && m.Subject.StartsWith("Comprobante de pago P-", StringComparison.Ordinal));
        }
        Assert.Equal("Paga a Distribuidora Portal vía Abono", email.FromName);
        Assert.Equal(PortalScenario.IssuerEmail, email.ReplyTo);
        var html = email.HtmlBody!;
        foreach (var inline in (email.Attachments ?? []).Where(a => a.ContentId is not null))
        {
            html = html.Replace($"cid:{inline.ContentId}", $"data:{inline.ContentType};base64,{inline.Base64Content}");
        }
        Assert.Contains(Accent, html);
        var mail = await fixture.NewPageAsync();
        await mail.SetViewportSizeAsync(700, 900);
        await mail.SetContentAsync(html);
        await Assertions.Expect(mail.GetByRole(AriaRole.Table, new() { Name = "Documentos" })).ToContainTextAsync("Factura N° 1");
        Assert.True(await mail.Locator("img").First.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the inline logo did not render");
        await Journey.ScreenshotAsync(mail, "correo-comprobante.png");
        await mail.Context.CloseAsync();
    }

    /// <summary>Logo in the header, the business's colour on the primary button, its contact in the footer, nothing wider than the screen.</summary>
    private static async Task AssertBrandedAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("img.portal-logo")).ToBeVisibleAsync();
        Assert.True(await page.Locator("img.portal-logo").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the logo did not load");
        var primary = await page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).getPropertyValue('--abono-primary').trim()");
        Assert.Equal(Accent, primary);
        await Assertions.Expect(page.GetByTestId("portal-contact")).ToContainTextAsync("cobranza@distribuidora.cl");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, $"{page.Url} is wider than the screen.");
    }

    /// <summary>A plain mark in the brand's colour (shapes only: no font is needed to draw it).</summary>
    private static byte[] Logo()
    {
        using var bitmap = new SKBitmap(360, 120);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            using var fill = new SKPaint { Color = SKColor.Parse(Accent), IsAntialias = true };
            canvas.DrawCircle(60, 60, 52, fill);
            canvas.DrawRoundRect(new SKRect(130, 30, 350, 90), 12, 12, fill);
            using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
            canvas.DrawCircle(60, 60, 22, white);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
