using System.Text.Json;
using Abono.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Abono.BrowserTests;

/// <summary>
/// Issue 18 item 7, looks and layout: SVG icons and no emoji, totals cards that show the whole figure, a phone menu
/// that says more sections exist, 44 px tap targets on a phone, and a dashboard chart with a money axis. The company
/// collected and is owed $19.041.843.210, the widest figure a card has to hold.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LooksAndLayoutTests(BrowserFixture fixture)
{
    private const string Huge = "$19.041.843.210";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Back_office_and_payer_pages_draw_svg_icons_show_no_emoji_and_pass_axe(bool phone)
    {
        var device = phone ? "teléfono" : "escritorio";
        var s = await HugeTotalsAsync();
        var office = await SignedInAsync(s, phone);
        foreach (var url in BackOfficePages(s))
        {
            await office.GotoAsync(url);
            await AssertIconsAndNoEmojiAsync(office, $"{url} ({device})");
            await Accessibility.AssertNoSeriousViolationsAsync(office, $"{url} ({device})");
        }

        var payer = await IdentifiedPayerAsync(s, phone);
        foreach (var url in PayerPages(s))
        {
            await payer.GotoAsync(url);
            await AssertIconsAndNoEmojiAsync(payer, $"{url} ({device})");
            await Accessibility.AssertNoSeriousViolationsAsync(payer, $"{url} ({device})");
        }
        await office.Context.CloseAsync();
        await payer.Context.CloseAsync();
    }

    [Fact]
    public async Task At_1280_px_every_totals_card_shows_the_whole_amount_without_clipping()
    {
        var s = await HugeTotalsAsync();
        var office = await SignedInAsync(s, phone: false);
        var pages = new (string Url, string[] HugeCards)[]
        {
            ("/", ["collected-today", "collected-month"]),
            ("/reportes/pagos/documentos-adeudados?buscar=1", ["total-debt", "aging-current"]),
            ("/reportes/pagos?buscar=1", ["payments-amount"]),
            ($"/clientes/{s.CustomerId}", ["customer-balance"]),
            ($"/clientes/{s.CustomerId}/estado-de-cuenta", ["statement-total"]),
        };
        foreach (var (url, hugeCards) in pages)
        {
            await office.GotoAsync(url);
            foreach (var id in hugeCards)
            {
                await Assertions.Expect(office.GetByTestId(id)).ToHaveTextAsync(Huge);
            }
            await AssertCardsFitAsync(office, url);
        }

        var payer = await IdentifiedPayerAsync(s, phone: false);
        await payer.GotoAsync($"/portal/{s.Code}/estado-de-cuenta");
        await Assertions.Expect(payer.GetByTestId("statement-total")).ToHaveTextAsync(Huge);
        await AssertCardsFitAsync(payer, "portal: estado de cuenta");
        await office.Context.CloseAsync();
        await payer.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_menu_shows_more_sections_exist_and_its_arrow_reaches_them()
    {
        var s = await HugeTotalsAsync();
        var office = await SignedInAsync(s, phone: true);
        var nav = office.GetByRole(AriaRole.Navigation, new() { Name = "Principal" });
        var more = nav.GetByRole(AriaRole.Button, new() { Name = "Ver más secciones" });
        var reportes = nav.GetByRole(AriaRole.Link, new() { Name = "Reportes", Exact = true });

        // Inicio: the last sections are past the right edge, and the menu says so with a fade and an arrow.
        await Assertions.Expect(nav).ToHaveAttributeAsync("data-more-end", "");
        await Assertions.Expect(more).ToBeVisibleAsync();
        Assert.False(await FullyInsideAsync(reportes, nav), "Reportes should start off screen on a 390 px phone.");
        await Journey.ScreenshotAsync(office, "menu-telefono.png", fullPage: false);

        await more.ClickAsync();
        await Assertions.Expect(nav).ToHaveAttributeAsync("data-more-start", "");
        await Assertions.Expect(nav.GetByRole(AriaRole.Button, new() { Name = "Ver secciones anteriores" })).ToBeVisibleAsync();
        await Assertions.Expect(reportes).ToBeInViewportAsync(new() { Ratio = 1 });

        // On a section that lives at the end of the menu, the menu opens scrolled to it.
        await reportes.ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "Reportes", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Navigation, new() { Name = "Principal" }).GetByRole(AriaRole.Link, new() { Name = "Reportes", Exact = true }))
            .ToBeInViewportAsync(new() { Ratio = 1 });
        await office.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_every_menu_item_button_and_toggle_is_at_least_44_px()
    {
        var s = await HugeTotalsAsync();
        var office = await SignedInAsync(s, phone: true);
        foreach (var url in BackOfficePages(s))
        {
            await office.GotoAsync(url);
            await AssertTapTargetsAsync(office, url);
        }
        // The open menus: the gear's and the user's panels.
        await office.GotoAsync("/");
        await office.Locator("details.gear-menu > summary").ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Link, new() { Name = "Ver más" })).ToBeVisibleAsync();
        await AssertTapTargetsAsync(office, "menú de configuración abierto");
        await office.Locator("details.user-menu > summary").ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Button, new() { Name = "Cerrar sesión" })).ToBeVisibleAsync();
        await AssertTapTargetsAsync(office, "menú de usuario abierto");

        var payer = await fixture.NewPageAsync(phone: true);
        await payer.GotoAsync($"/portal/{s.Code}");
        await AssertTapTargetsAsync(payer, "portal: identificación");
        await payer.Context.CloseAsync();
        payer = await IdentifiedPayerAsync(s, phone: true);
        foreach (var url in PayerPages(s))
        {
            await payer.GotoAsync(url);
            await AssertTapTargetsAsync(payer, url);
        }
        await office.Context.CloseAsync();
        await payer.Context.CloseAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_dashboard_chart_has_a_money_axis_and_whole_day_labels(bool phone)
    {
        var s = await HugeTotalsAsync();
        var office = await SignedInAsync(s, phone);
        var chart = office.GetByTestId("daily-chart");

        var ticks = await chart.Locator(".axis-tick").AllTextContentsAsync();
        Assert.True(ticks.Count >= 3, $"the axis has {ticks.Count} labels");
        Assert.All(ticks, t => Assert.Matches(@"^\$\d{1,3}(\.\d{3})*$", t));
        Assert.Equal("$0", ticks[0]);
        Assert.True(Pesos(ticks[^1]) >= 19_041_843_210, $"the top of the axis ({ticks[^1]}) is below the best day");
        Assert.Equal(ticks.Select(Pesos).Order(), ticks.Select(Pesos));

        var days = chart.Locator(".axis-day");
        Assert.Equal(5, await days.CountAsync());
        var card = (await office.Locator("section.chart").First.BoundingBoxAsync())!;
        var previousRight = double.MinValue;
        for (var i = 0; i < 5; i++)
        {
            Assert.Matches(@"^\d{2}-\d{2}$", await days.Nth(i).TextContentAsync() ?? "");
            var box = (await days.Nth(i).BoundingBoxAsync())!;
            Assert.True(box.X >= card.X && box.X + box.Width <= card.X + card.Width, $"day label {i} sticks out of the chart's card");
            Assert.True(box.X > previousRight, $"day label {i} overlaps the one before it");
            previousRight = box.X + box.Width;
        }
        // Each axis label is legible: drawn at 12 px whatever the screen's width.
        var tickBox = (await chart.Locator(".axis-tick").First.BoundingBoxAsync())!;
        Assert.InRange(tickBox.Height, 11, 20);
        await Accessibility.AssertNoSeriousViolationsAsync(office, $"Inicio con el gráfico ({(phone ? "teléfono" : "escritorio")})");
        await office.Context.CloseAsync();
    }

    // ------------------------------------------------------------------------------------------------------------

    private sealed record Scenario(PortalScenario Portal, long BigUnpaidId, long BigPaidId)
    {
        public string Code => Portal.Code;
        public long CustomerId => Portal.CustomerId;
    }

    /// <summary>
    /// One factura of $11.900 (PortalScenario) plus two facturas exentas: one paid today through the Pasarela de prueba
    /// ($19.041.843.210 collected today and this month) and one still owed, so the debt is $19.041.843.210 too.
    /// </summary>
    private async Task<Scenario> HugeTotalsAsync()
    {
        var s = await PortalScenario.CreateAsync(fixture.Factory, documents: 1);
        var paid = Merchant.IdFrom(await s.Merchant.IssueAsync(34, s.CustomerId, [("Concesión anual de la autopista", 2, 9_520_921_605)]));
        var unpaid = Merchant.IdFrom(await s.Merchant.IssueAsync(34, s.CustomerId, [("Concesión del próximo año", 2, 9_520_915_655)]));
        var result = await s.PayAsync(await s.IdentifiedPayerAsync(), [paid]);
        Assert.True(result.Document.QuerySelector("[data-testid=receipt-amount]")?.TextContent.Trim() == Huge,
            "The Pasarela de prueba did not take the payment: " + string.Join(' ', result.Text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        // The generated owner email is wider than a phone; the portal's footer shows a realistic one.
        await using (var scope = fixture.Factory.ScopeFor(s.Merchant.CompanyId))
        {
            await scope.Db.PortalConfigurations.ExecuteUpdateAsync(p => p.SetProperty(c => c.ContactEmail, "cobranza@empresa.cl"));
        }
        return new Scenario(s, unpaid, paid);
    }

    private static string[] BackOfficePages(Scenario s) =>
    [
        "/", "/punto-de-venta", "/documentos", $"/documentos/{s.BigUnpaidId}", "/documentos/nuevo", "/clientes", $"/clientes/{s.CustomerId}",
        "/productos", "/reportes", "/reportes/pagos?buscar=1", "/reportes/pagos/documentos-adeudados?buscar=1", "/configuracion",
        "/configuracion/portal-de-pagos", "/configuracion/medios-de-pago", "/mi-cuenta",
    ];

    private static string[] PayerPages(Scenario s) =>
    [
        $"/portal/{s.Code}/documentos", $"/portal/{s.Code}/documentos/{s.BigUnpaidId}", $"/portal/{s.Code}/estado-de-cuenta",
        $"/portal/{s.Code}/pagos",
    ];

    private async Task<IPage> SignedInAsync(Scenario s, bool phone)
    {
        var page = await fixture.NewPageAsync(phone);
        await page.GotoAsync("/ingresar");
        await page.GetByLabel("Correo electrónico").FillAsync(s.Portal.Merchant.Email);
        await page.GetByLabel("Contraseña").FillAsync(s.Portal.Merchant.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inicio" })).ToBeVisibleAsync();
        return page;
    }

    private async Task<IPage> IdentifiedPayerAsync(Scenario s, bool phone)
    {
        var payer = await fixture.NewPageAsync(phone);
        await payer.GotoAsync($"/portal/{s.Code}");
        await payer.GetByLabel("RUT").FillAsync(s.Portal.FormattedRut);
        await payer.GetByLabel("Correo electrónico o teléfono").FillAsync(PortalScenario.CustomerEmail);
        await payer.GetByRole(AriaRole.Button, new() { Name = "Ver mis documentos" }).ClickAsync();
        await Assertions.Expect(payer.GetByRole(AriaRole.Heading, new() { Name = "Hola, Cliente Portal Ltda." })).ToBeVisibleAsync();
        return payer;
    }

    /// <summary>No emoji in what the page shows or announces; at least one icon, each an SVG whose symbol was drawn.</summary>
    private static async Task AssertIconsAndNoEmojiAsync(IPage page, string context)
    {
        var text = await page.EvaluateAsync<string>(
            "() => document.body.innerText + ' ' + [...document.querySelectorAll('[aria-label],[title],[alt],[placeholder]')]" +
            ".map(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('alt'), e.getAttribute('placeholder')].join(' ')).join(' ')");
        var emoji = Emoji.Pattern().Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(emoji.Count == 0, $"{context}: emoji on the page: {string.Join(" ", emoji)}");

        var icons = await page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll('.icon')].filter(i => i.getClientRects().length > 0).map(i => {
              const use = i.querySelector('use');
              const box = use ? use.getBBox() : { width: 0, height: 0 };
              return { tag: i.tagName.toLowerCase(), href: use ? use.getAttribute('href') : '', drawn: box.width > 0 && box.height > 0 };
            })
            """);
        Assert.True(icons.GetArrayLength() > 0, $"{context}: no icon is shown.");
        foreach (var icon in icons.EnumerateArray())
        {
            var href = icon.GetProperty("href").GetString() ?? "";
            Assert.Equal("svg", icon.GetProperty("tag").GetString());
            Assert.Matches(@"^/icons/sprite\.svg\?v=[^#]+#[a-z-]+$", href);
            Assert.True(icon.GetProperty("drawn").GetBoolean(), $"{context}: the icon {href} was not drawn (sprite or symbol missing).");
        }
    }

    /// <summary>Every totals card holds its whole figure: nothing scrolls, nothing is cut or ellipsised.</summary>
    private static async Task AssertCardsFitAsync(IPage page, string context)
    {
        var cards = await page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll('.stat')].map(card => {
              const value = card.querySelector('.value');
              return { text: value.textContent.trim(), card: card.scrollWidth <= card.clientWidth, value: value.scrollWidth <= value.clientWidth,
                ellipsis: getComputedStyle(value).textOverflow === 'ellipsis', inside: value.getBoundingClientRect().right <= card.getBoundingClientRect().right + 0.5 };
            })
            """);
        Assert.True(cards.GetArrayLength() > 0, $"{context}: no totals card.");
        foreach (var card in cards.EnumerateArray())
        {
            var text = card.GetProperty("text").GetString();
            Assert.True(card.GetProperty("card").GetBoolean() && card.GetProperty("value").GetBoolean() && card.GetProperty("inside").GetBoolean(),
                $"{context}: the card with {text} is wider than it shows (scrollWidth > clientWidth).");
            Assert.False(card.GetProperty("ellipsis").GetBoolean(), $"{context}: the card with {text} would ellipsise its amount.");
        }
    }

    /// <summary>Links and buttons of the header and menus, the page's buttons and toggles: 44 px high, icon-only ones 44 px wide too.</summary>
    private static async Task AssertTapTargetsAsync(IPage page, string context)
    {
        var small = await page.EvaluateAsync<string[]>("""
            () => {
              const targets = new Set([
                ...document.querySelectorAll('header a, header button, header summary, nav a, nav button'),
                ...document.querySelectorAll('main .btn, main summary, main .form-check, main .portal-icon, main .portal-doc-link, main .report-tabs a'),
                // A toggle inside its label is tapped anywhere on the label.
                ...[...document.querySelectorAll('main input[type=checkbox], main input[type=radio]')].map(i => i.closest('label') || i),
              ]);
              return [...targets].filter(el => {
                const box = el.getBoundingClientRect();
                if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') return false;
                const iconOnly = el.textContent.trim() === '' || el.classList.contains('portal-icon') || el.tagName === 'INPUT';
                return box.height < 43.5 || (iconOnly && box.width < 43.5);
              }).map(el => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') || el.textContent).trim().replace(/\s+/g, ' ')}" ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`);
            }
            """);
        Assert.True(small.Length == 0, $"{context}: tap targets under 44 px: {string.Join("; ", small)}");
    }

    private static async Task<bool> FullyInsideAsync(ILocator element, ILocator container)
    {
        var box = (await element.BoundingBoxAsync())!;
        var outer = (await container.BoundingBoxAsync())!;
        return box.X >= outer.X && box.X + box.Width <= outer.X + outer.Width;
    }

    private static long Pesos(string label) => long.Parse(label.TrimStart('$').Replace(".", ""));
}
