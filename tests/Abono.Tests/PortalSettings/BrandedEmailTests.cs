using System.Text.RegularExpressions;
using Abono.Tests.BankTransfer;
using Abono.Tests.Platform;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Features.Reminders;
using Abono.Web.Platform.Outbox;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using MimeKit;

namespace Abono.Tests.PortalSettings;

/// <summary>
/// The emails a business sends through Abono, as they arrive at a real SMTP server: HTML with a text alternative,
/// from "{portal} vía Abono", Reply-To the Emisor, the documents as a table, the link back, and what people typed
/// (customer names, rejection reasons, portal names) encoded, never markup.
/// </summary>
public sealed class BrandedEmailTests : IAsyncLifetime
{
    private const string PortalName = "Paga a Distribuidora Portal";
    private const string HostileName = "<script>alert(1)</script>";
    private readonly SmtpTestServer _smtp = new();
    private readonly ClockFactory _factory = new();

    public Task InitializeAsync()
    {
        _factory.SmtpPort = _smtp.Port;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_receipt_email_is_html_with_a_text_alternative_sent_as_the_portal_with_reply_to_the_emisor()
    {
        var s = await PortalScenario.CreateAsync(_factory, documents: 1);
        await RenameCustomerAsync(s, HostileName);
        await UploadLogoAsync(s);
        var payer = await s.IdentifiedPayerAsync();
        var result = await s.PayAsync(payer);
        var number = result.Document.QuerySelector("[data-testid=receipt-number]")!.TextContent.Trim();

        var mail = await DeliveredAsync(PortalScenario.CustomerEmail, $"Comprobante de pago {number}");
        var html = AssertSentAsThePortal(mail, PortalName, replyTo: PortalScenario.IssuerEmail);
        AssertDocumentsTable(html, "Factura N° 1");
        Assert.Contains("$11.900", html.QuerySelector("caption")!.ParentElement!.TextContent);
        AssertLinksTo(html, $"http://localhost/portal/{s.Code}");
        Assert.Contains($"http://localhost/portal/{s.Code}", mail.TextBody);
        AssertEncoded(mail, html, HostileName);
        // The logo travels inside the email (clients block remote images); the PDF is still the one attachment.
        var logo = EmailLayoutTests.Parts(mail.Body).OfType<MimePart>().Single(p => p.ContentType.MimeType == "image/png");
        Assert.Equal(BrandedEmail.LogoContentId, logo.ContentId);
        Assert.Equal($"cid:{BrandedEmail.LogoContentId}", html.QuerySelector("img")!.GetAttribute("src"));
        Assert.Equal(PortalName, html.QuerySelector("img")!.GetAttribute("alt"));
        Assert.Equal([$"comprobante-{number}.pdf"], mail.Attachments.OfType<MimePart>().Select(a => a.FileName));

        // The Emisor's copy links to the payment in the back office and needs no Reply-To to itself.
        var copy = await DeliveredAsync(PortalScenario.IssuerEmail, $"Comprobante de pago {number}");
        var copyHtml = AssertSentAsThePortal(copy, PortalName, replyTo: null);
        AssertLinksTo(copyHtml, "http://localhost/reportes/pagos/");
        AssertEncoded(copy, copyHtml, HostileName);
    }

    [Fact]
    public async Task A_reminder_is_html_with_the_documents_owed_the_customer_link_and_reply_to_the_emisor()
    {
        var s = await PortalScenario.CreateAsync(_factory, documents: 2);
        await RenameCustomerAsync(s, HostileName);
        var job = _factory.Services.GetRequiredService<ReminderJob>();
        await job.RunAsync();
        _factory.Clock.Advance(TimeSpan.FromDays(7));   // three days before the first document is due
        await job.RunAsync();

        var mail = await DeliveredAsync(PortalScenario.CustomerEmail, "Recordatorio de pago");
        var html = AssertSentAsThePortal(mail, PortalName, replyTo: PortalScenario.IssuerEmail);
        AssertDocumentsTable(html, "Factura N° 1", "Factura N° 2");
        Assert.Contains("$35.700", html.QuerySelector("tfoot")!.TextContent);
        AssertLinksTo(html, "http://localhost/portal/c/");
        AssertLinksTo(html, "http://localhost/recordatorios/baja/");
        Assert.Matches(@"Págalos en línea aquí: http://localhost/portal/c/\S+", mail.TextBody);
        AssertEncoded(mail, html, HostileName);
    }

    [Fact]
    public async Task The_customer_link_email_lists_the_pending_documents_and_links_to_the_customers_own_portal()
    {
        var s = await PortalScenario.CreateAsync(_factory, documents: 2);
        await RenameCustomerAsync(s, HostileName);
        var dialog = await s.Merchant.Client.GetAsync($"/clientes/{s.CustomerId}/portal");
        await s.Merchant.Client.SubmitAsync(dialog, new Dictionary<string, string?>(), button: "form[action*='handler=Email'] button");
        var link = dialog.Document.QuerySelector("[data-testid=customer-link]")!.GetAttribute("value")!;
        Assert.StartsWith("http://localhost/portal/c/", link);

        var mail = await DeliveredAsync(PortalScenario.CustomerEmail, "Tus documentos pendientes");
        var html = AssertSentAsThePortal(mail, PortalName, replyTo: PortalScenario.IssuerEmail);
        AssertDocumentsTable(html, "Factura N° 1", "Factura N° 2");
        AssertLinksTo(html, link);
        Assert.Contains(link, mail.TextBody);
        AssertEncoded(mail, html, HostileName);
    }

    [Fact]
    public async Task The_verification_code_email_shows_the_code_and_links_to_the_page_that_asks_for_it()
    {
        const string hostilePortal = "Paga <b>aquí</b> & \"ya\"";
        var s = await PortalScenario.CreateAsync(_factory, documents: 1);
        await s.Merchant.Client.FillAsync("/configuracion/portal-de-pagos/editar", new Dictionary<string, string?> { ["Input.VerifyWithCode"] = "true" });
        await using (var scope = _factory.ScopeFor(s.Merchant.CompanyId))
        {
            await scope.Db.PortalConfigurations.ExecuteUpdateAsync(x => x.SetProperty(p => p.Name, hostilePortal));
        }
        var page = await _factory.CreateAppClient().FillAsync($"/portal/{s.Code}", new Dictionary<string, string?>
        {
            ["Input.Rut"] = s.FormattedRut, ["Input.Contact"] = PortalScenario.CustomerPhone,
        });
        var verifyPath = new Uri(new Uri("http://localhost"), page.Url).AbsolutePath;
        Assert.Contains("/verificar/", verifyPath);

        var mail = await DeliveredAsync(PortalScenario.CustomerEmail, "Tu código para");
        var code = Regex.Match(mail.Subject ?? "", @"\b(\d{6})$").Groups[1].Value;
        Assert.Equal(6, code.Length);
        // The display name is quoted by MimeKit: markup and quotes in a portal name stay part of the name.
        var html = AssertSentAsThePortal(mail, hostilePortal, replyTo: PortalScenario.IssuerEmail);
        Assert.Contains(html.QuerySelectorAll("p"), p => p.TextContent == code);
        Assert.Contains($"Tu código de verificación es: {code}", mail.TextBody);
        AssertLinksTo(html, $"http://localhost{verifyPath}");
        Assert.Empty(html.QuerySelectorAll("b"));
        Assert.Contains("Paga &lt;b&gt;aquí&lt;/b&gt; &amp; &quot;ya&quot;", mail.HtmlBody);
        Assert.Contains(hostilePortal, html.Body!.TextContent);
    }

    [Fact]
    public async Task Transfer_emails_are_html_as_the_portal_the_emisor_can_answer_the_customer_and_a_rejection_reaches_the_customer()
    {
        const string hostileReason = "<img src=x onerror=alert(1)>";
        var s = await PortalScenario.CreateAsync(_factory, documents: 1);
        await RenameCustomerAsync(s, HostileName);
        var transfer = await TransferTests.EnableTransferAsync(s);
        await TransferTests.DeclareAsync(s, transfer);

        // Declared: the Emisor hears of it, as the portal, and answering reaches the customer.
        var declared = await DeliveredAsync(PortalScenario.IssuerEmail, "Transferencia por confirmar");
        var declaredHtml = AssertSentAsThePortal(declared, PortalName, replyTo: PortalScenario.CustomerEmail);
        AssertDocumentsTable(declaredHtml, "Factura N° 1");
        AssertLinksTo(declaredHtml, "http://localhost/reportes/pagos/transferencias");
        AssertEncoded(declared, declaredHtml, HostileName);

        // Rejected: the customer is told why, with what is still pending and the way back to the portal.
        var pending = await s.Merchant.Client.GetAsync("/reportes/pagos/transferencias");
        await s.Merchant.Client.SubmitAsync(pending, new Dictionary<string, string?> { ["reason"] = hostileReason }, button: "form[action*='handler=Reject'] button");
        var rejected = await DeliveredAsync(PortalScenario.CustomerEmail, "no fue confirmada");
        var html = AssertSentAsThePortal(rejected, PortalName, replyTo: PortalScenario.IssuerEmail);
        AssertDocumentsTable(html, "Factura N° 1");
        Assert.Contains("$11.900", html.QuerySelector("caption")!.ParentElement!.TextContent);
        AssertLinksTo(html, $"http://localhost/portal/{s.Code}");
        AssertEncoded(rejected, html, HostileName);
        Assert.Empty(html.QuerySelectorAll("img"));
        Assert.Contains(hostileReason, html.Body!.TextContent);
        Assert.Contains(hostileReason, rejected.TextBody);
    }

    private async Task<MimeMessage> DeliveredAsync(string to, string subject)
    {
        var relay = _factory.Services.GetRequiredService<OutboxRelay>();
        while (await relay.RunOnceAsync() > 0)
        {
        }
        return await _smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == to) && (m.Subject ?? "").Contains(subject));
    }

    /// <summary>multipart/alternative with both parts, From "{portal} vía Abono" at our own address, the Reply-To given; returns the parsed HTML.</summary>
    private static IHtmlDocument AssertSentAsThePortal(MimeMessage mail, string portalName, string? replyTo)
    {
        var alternative = Assert.Single(EmailLayoutTests.Parts(mail.Body).OfType<MultipartAlternative>());
        Assert.Contains(EmailLayoutTests.Parts(alternative), p => p is TextPart { IsPlain: true });
        Assert.Contains(EmailLayoutTests.Parts(alternative), p => p is TextPart { IsHtml: true });
        var from = mail.From.Mailboxes.Single();
        Assert.Equal($"{portalName} vía Abono", from.Name);
        Assert.Equal("no-reply@abono.cl", from.Address);
        if (replyTo is null)
        {
            Assert.Empty(mail.ReplyTo);
        }
        else
        {
            Assert.Equal(replyTo, mail.ReplyTo.Mailboxes.Single().Address);
        }
        var html = new HtmlParser().ParseDocument(mail.HtmlBody!);
        Assert.Equal("es-CL", html.DocumentElement.GetAttribute("lang"));
        return html;
    }

    /// <summary>The documents as a data table: column headers, one row header per document.</summary>
    private static void AssertDocumentsTable(IHtmlDocument html, params string[] documents)
    {
        var table = Assert.Single(html.QuerySelectorAll("caption")).ParentElement!;
        Assert.Equal("Documento", table.QuerySelector("thead th[scope=col]")!.TextContent);
        // Selectors match ancestors outside the table too (the layout's own tables), so look inside its tbody only.
        Assert.Equal(documents, table.QuerySelector("tbody")!.QuerySelectorAll("th[scope=row]").Select(th => th.TextContent));
    }

    private static void AssertLinksTo(IHtmlDocument html, string absolute) =>
        Assert.Contains(html.QuerySelectorAll("a[href]"), a => a.GetAttribute("href")!.StartsWith(absolute, StringComparison.Ordinal));

    /// <summary>What a person typed shows as text in both parts and never as markup in the HTML.</summary>
    private static void AssertEncoded(MimeMessage mail, IHtmlDocument html, string typed)
    {
        Assert.DoesNotContain(typed, mail.HtmlBody);
        Assert.Empty(html.QuerySelectorAll("script"));
        Assert.Contains(typed, html.Body!.TextContent);
        Assert.Contains(typed, mail.TextBody);
    }

    private async Task RenameCustomerAsync(PortalScenario s, string name)
    {
        await using var scope = _factory.ScopeFor(s.Merchant.CompanyId);
        await scope.Db.Customers.Where(c => c.Id == s.CustomerId).ExecuteUpdateAsync(x => x.SetProperty(c => c.Name, name));
    }

    private async Task UploadLogoAsync(PortalScenario s)
    {
        await using var scope = _factory.ScopeFor(s.Merchant.CompanyId);
        scope.Db.PortalLogos.Add(new PortalLogo { CompanyId = s.Merchant.CompanyId, Png = EmailLayoutTests.Png(300, 100), Width = 300, Height = 100, UpdatedAt = DateTime.UtcNow });
        await scope.Db.SaveChangesAsync();
        await scope.Db.PortalConfigurations.ExecuteUpdateAsync(x => x.SetProperty(p => p.LogoVersion, 1));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _smtp.DisposeAsync();
    }
}
