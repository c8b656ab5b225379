using System.Net;
using System.Text.RegularExpressions;
using Abono.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace Abono.BrowserTests;

/// <summary>Steps that several journeys share, done the way a person does them.</summary>
internal static class Journey
{
    /// <summary>Ingresar with an email and password; lands on Inicio.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/ingresar");
        await page.GetByLabel("Correo electrónico").FillAsync(email);
        await page.GetByLabel("Contraseña").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inicio", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Waits for the page a click or a form led to: its path is <paramref name="path"/> and it has loaded. A click
    /// returns before the new page replaces the old one, so without this the next step can land on the page being
    /// left, which may have the same field, button or heading.
    /// </summary>
    public static Task ArriveAsync(IPage page, string path) =>
        page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path);

    /// <summary>As <see cref="ArriveAsync(IPage, string)"/>, for a path with an id or a code in it.</summary>
    public static Task ArriveAsync(IPage page, Regex path) =>
        page.WaitForURLAsync(url => path.IsMatch(new Uri(url).AbsolutePath));

    /// <summary>
    /// Presses a copy button and waits until the clipboard holds <paramref name="expected"/>. site.js copies
    /// asynchronously, and the clipboard is the browser's, shared by every test, so reading it at once can give what
    /// another test copied.
    /// </summary>
    public static async Task CopyAsync(ILocator button, string expected)
    {
        var page = button.Page;
        // site.js, which does the copying, runs at the end of the page: a press before it has run copies nothing.
        await page.WaitForLoadStateAsync(LoadState.Load);
        await button.ClickAsync();
        // The predicate has to answer at once (a promise counts as true straight away), so each poll starts a read
        // and compares what the previous one got.
        await page.WaitForFunctionAsync(
            "expected => { navigator.clipboard.readText().then(text => { window.abonoClipboard = text; }, () => {}); return window.abonoClipboard === expected; }",
            expected,
            new() { PollingInterval = 100 });
    }

    /// <summary>The back office's main menu (Inicio, Punto de venta, Documentos, Clientes, Productos, Reportes).</summary>
    public static ILocator MainMenu(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Principal" });

    /// <summary>Opens the email as a mail client shows it and follows its button.</summary>
    public static async Task FollowEmailButtonAsync(IPage page, MimeMessage mail, string button)
    {
        Assert.False(string.IsNullOrEmpty(mail.HtmlBody), $"\"{mail.Subject}\" has no HTML body.");
        await page.SetContentAsync(mail.HtmlBody);
        await page.GetByRole(AriaRole.Link, new() { Name = button, Exact = true }).ClickAsync();
    }

    /// <summary>A signed-up company (over HTTP) that contracted the Portal de pagos, paying at the Pasarela de prueba.</summary>
    public static async Task<Merchant> CompanyWithThePortalAsync(AbonoFactory factory, string legalName)
    {
        var merchant = await Merchant.SignUpAsync(factory, legalName);
        var confirm = await merchant.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos");
        var sandbox = await merchant.Client.SubmitAsync(confirm, new Dictionary<string, string?>());
        var result = await merchant.Client.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: "button[value=aprobar]");
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("Contrataste el Portal de pagos", result.Text);
        return merchant;
    }

    /// <summary>
    /// A full-page screenshot. With <c>ABONO_SCREENSHOTS=docs/screens</c> (a path from the repository root) it refreshes
    /// the documentation's screenshots; otherwise it goes to a temporary folder.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var folder = Environment.GetEnvironmentVariable("ABONO_SCREENSHOTS") is { Length: > 0 } configured
            ? Path.Combine(RepositoryRoot(), configured)
            : Path.Combine(Path.GetTempPath(), "abono-screens");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = fullPage });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Abono.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
