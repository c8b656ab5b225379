using System.Net;
using Abono.Web.Features.Collections;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Outbox;

namespace Abono.Tests.Customers;

/// <summary>One app and one SMTP listener for the statement tests (the app reads the SMTP port once, at start).</summary>
public sealed class StatementFixture : IAsyncLifetime
{
    public SmtpTestServer Smtp { get; } = new();
    public AbonoFactory Factory { get; } = new();

    public Task InitializeAsync()
    {
        Factory.SmtpPort = Smtp.Port;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>Estado de cuenta (issue 13, item 5): back office and portal, on screen, as a PDF and by email.</summary>
public sealed class StatementTests(StatementFixture fixture) : IClassFixture<StatementFixture>
{
    private AbonoFactory Factory => fixture.Factory;
    private static DateOnly Today => ChileFormats.Today(TimeProvider.System);
    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd");

    private static async Task<long> IssueAsync(Merchant merchant, long customerId, long net, int dueInDays)
    {
        var page = await merchant.IssueAsync(33, customerId, [("Servicio", 1, net)], extra: new Dictionary<string, string?>
        {
            ["Input.IssueDate"] = Iso(Today.AddDays(-200)),
            ["Input.DueDate"] = Iso(Today.AddDays(dueInDays)),
        });
        Assert.Matches(@"^/documentos/\d+", page.Url);
        return Merchant.IdFrom(page);
    }

    private static string Cell(AppClient.Page page, string testId) =>
        page.Document.QuerySelector($"[data-testid='{testId}']")?.TextContent.Trim() ?? throw new InvalidOperationException($"No {testId} on {page.Url}.");

    [Fact]
    public async Task The_back_office_statement_puts_each_document_in_its_tramo_with_the_periods_payments_notes_and_saldo_a_favor()
    {
        var s = await PortalScenario.CreateAsync(Factory, documents: 0);
        var m = s.Merchant;
        // Totals with IVA: 1.190, 2.380, 3.570, 4.760, 5.950, 7.140, 8.330.
        var notDue = await IssueAsync(m, s.CustomerId, 1_000, 10);
        var dueToday = await IssueAsync(m, s.CustomerId, 2_000, 0);
        var late1 = await IssueAsync(m, s.CustomerId, 3_000, -1);
        var late30 = await IssueAsync(m, s.CustomerId, 4_000, -30);
        var late31 = await IssueAsync(m, s.CustomerId, 5_000, -31);
        var late75 = await IssueAsync(m, s.CustomerId, 6_000, -75);
        var late91 = await IssueAsync(m, s.CustomerId, 7_000, -91);

        // A nota de crédito of 1.190 on the oldest one, and a portal payment of the one not yet due.
        var note = await m.IssueAsync(61, null, [("Descuento", 1, 1_000)], paymentForm: "", extra: new Dictionary<string, string?>
        {
            ["Input.ReferenceDocumentId"] = late91.ToString(), ["Input.ReferenceReason"] = "Descuento comercial",
        });
        var noteId = Merchant.IdFrom(note);
        var payer = await s.IdentifiedPayerAsync();
        var paid = await s.PayAsync(payer, [notDue]);
        Assert.Equal("$1.190", paid.Document.QuerySelector("[data-testid=receipt-amount]")!.TextContent.Trim());
        long paymentId;
        await using (var scope = Factory.ScopeFor(m.CompanyId))
        {
            var payment = await scope.Db.Payments.SingleAsync();
            paymentId = payment.Id;
            // As a late confirmation leaves it: part of a payment that found no balance is the customer's saldo a favor.
            await scope.Db.Payments.Where(p => p.Id == paymentId).ExecuteUpdateAsync(x => x.SetProperty(p => p.CreditAmount, 500L));
        }

        var details = await m.Client.GetAsync($"/clientes/{s.CustomerId}");
        Assert.NotNull(details.Document.QuerySelector($"a[href='/clientes/{s.CustomerId}/estado-de-cuenta']"));

        var page = await m.Client.GetAsync($"/clientes/{s.CustomerId}/estado-de-cuenta");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Cliente Portal Ltda.", page.Text);
        Assert.Equal("$2.380", Cell(page, "aging-Current-amount"));
        Assert.Equal("$8.330", Cell(page, "aging-Days1To30-amount"));
        Assert.Equal("$5.950", Cell(page, "aging-Days31To60-amount"));
        Assert.Equal("$7.140", Cell(page, "aging-Days61To90-amount"));
        Assert.Equal("$7.140", Cell(page, "aging-Over90-amount"));
        Assert.Equal("$30.940", Cell(page, "statement-total"));
        Assert.Equal("$28.560", Cell(page, "statement-overdue"));
        Assert.Equal("$500", Cell(page, "statement-credit"));

        var buckets = page.Document.QuerySelectorAll("[data-testid=statement-documents] tbody tr")
            .ToDictionary(r => r.GetAttribute("data-testid")!, r => r.GetAttribute("data-bucket"));
        Assert.Equal(new Dictionary<string, string?>
        {
            [$"statement-doc-{dueToday}"] = "Current", [$"statement-doc-{late1}"] = "Days1To30", [$"statement-doc-{late30}"] = "Days1To30",
            [$"statement-doc-{late31}"] = "Days31To60", [$"statement-doc-{late75}"] = "Days61To90", [$"statement-doc-{late91}"] = "Over90",
        }, buckets);
        Assert.Contains("vencido hace 91 días", Cell(page, $"statement-doc-{late91}"));

        // This month: the payment and the note, with dates and amounts.
        var paymentRow = Cell(page, $"statement-payment-{paymentId}");
        Assert.Contains(ReceiptData.FormatReference(paymentId), paymentRow);
        Assert.Contains("$1.190", paymentRow);
        Assert.Equal("$1.190", Cell(page, "statement-payments-total"));
        var noteRow = Cell(page, $"statement-note-{noteId}");
        Assert.Contains(ChileFormats.Date(Today), noteRow);
        Assert.Contains("Factura N° 7", noteRow);
        Assert.Contains("$1.190", noteRow);

        // Another period: the same open documents, none of this month's movements.
        var earlier = await m.Client.GetAsync($"/clientes/{s.CustomerId}/estado-de-cuenta?desde={Iso(Today.AddDays(-60))}&hasta={Iso(Today.AddDays(-40))}");
        Assert.Equal("$30.940", Cell(earlier, "statement-total"));
        Assert.NotNull(earlier.Document.QuerySelector("[data-testid=statement-no-payments]"));
        Assert.NotNull(earlier.Document.QuerySelector("[data-testid=statement-no-notes]"));
        Assert.Equal(Iso(Today.AddDays(-60)), earlier.Value("desde"));

        // The PDF of that page.
        var pdfUrl = page.Document.QuerySelector("[data-testid=statement-pdf]")!.GetAttribute("href")!;
        var pdf = await m.Client.Http.GetAsync(pdfUrl);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.StartsWith("estado-de-cuenta-", pdf.Content.Headers.ContentDisposition!.FileNameStar ?? pdf.Content.Headers.ContentDisposition.FileName);
    }

    [Fact]
    public async Task The_statement_is_emailed_with_its_pdf_and_the_customers_link_and_refused_without_an_email()
    {
        var s = await PortalScenario.CreateAsync(Factory, documents: 2);
        var m = s.Merchant;
        var page = await m.Client.GetAsync($"/clientes/{s.CustomerId}/estado-de-cuenta");
        var sent = await m.Client.SubmitAsync(page, new Dictionary<string, string?>(), button: "[data-testid=statement-email-form] button");
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Contains($"Enviamos el estado de cuenta a {PortalScenario.CustomerEmail}.", sent.Text);

        var relay = Factory.Services.GetRequiredService<OutboxRelay>();
        while (await relay.RunOnceAsync() > 0)
        {
        }
        var mail = await fixture.Smtp.WaitForAsync(m2 => m2.To.Mailboxes.Any(a => a.Address == PortalScenario.CustomerEmail)
            && (m2.Subject ?? "").Contains("Estado de cuenta") && (m2.TextBody ?? "").Contains("Cliente Portal Ltda."));
        Assert.Contains($"Estado de cuenta al {ChileFormats.Date(Today)}", mail.Subject);
        Assert.Contains("Total adeudado: $35.700", mail.TextBody);
        Assert.Contains("Factura N° 1", mail.TextBody);
        var pdf = Assert.Single(mail.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal("application/pdf", pdf.ContentType.MimeType);
        Assert.StartsWith("estado-de-cuenta-", pdf.FileName);
        using (var content = new MemoryStream())
        {
            await pdf.Content!.DecodeToAsync(content);
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(content.ToArray(), 0, 4));
        }

        // The link in the email is the customer's current link (the one Portal de pagos shows), and it opens their documents.
        var dialog = await m.Client.GetAsync($"/clientes/{s.CustomerId}/portal");
        var link = dialog.Document.QuerySelector("[data-testid=customer-link]")!.GetAttribute("value")!;
        Assert.Matches("/portal/c/[A-Za-z0-9_-]{43}", link);
        Assert.Contains(link, mail.TextBody);
        var visitor = Factory.CreateAppClient();
        var path = new Uri(link).PathAndQuery;
        var opened = await visitor.FollowAsync(await visitor.Http.GetAsync(path), path);
        Assert.EndsWith("/documentos", opened.Url);

        // A customer without an email: the button says why, and a forced POST is refused with nothing queued.
        var noEmail = await m.CreateCustomerAsync(name: "Cliente Sin Correo", email: null, phone: null);
        var noEmailPage = await m.Client.GetAsync($"/clientes/{noEmail}/estado-de-cuenta");
        Assert.Contains("no tiene correo registrado", noEmailPage.Text);
        int queued;
        await using (var scope = Factory.ScopeFor(m.CompanyId))
        {
            queued = await scope.Db.Outbox.CountAsync(o => o.CompanyId == m.CompanyId);
        }
        var refused = await m.Client.SubmitAsync(noEmailPage, new Dictionary<string, string?>(), button: "[data-testid=statement-email-form] button");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("El cliente no tiene correo registrado", Cell(refused, "statement-email-error"));
        await using (var scope = Factory.ScopeFor(m.CompanyId))
        {
            Assert.Equal(queued, await scope.Db.Outbox.CountAsync(o => o.CompanyId == m.CompanyId));
        }
    }

    [Fact]
    public async Task Another_companys_customer_answers_404_on_the_page_the_pdf_and_the_email()
    {
        var a = await Merchant.SignUpAsync(Factory, "Empresa A Estado SpA");
        var customer = await a.CreateCustomerAsync(name: "Cliente Secreto Estado");
        await a.IssueAsync(33, customer, [("Servicio", 1, 10_000)]);
        var b = await Merchant.SignUpAsync(Factory, "Empresa B Estado SpA");

        foreach (var url in new[] { $"/clientes/{customer}/estado-de-cuenta", $"/clientes/{customer}/estado-de-cuenta?handler=Pdf" })
        {
            var response = await b.Client.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Secreto", await response.Content.ReadAsStringAsync());
        }
        var post = await b.Client.PostRawAsync($"/clientes/{customer}/estado-de-cuenta?handler=Email", []);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Client.Http.GetAsync("/clientes/999999999/estado-de-cuenta")).StatusCode);
        await using var scope = Factory.ScopeFor(a.CompanyId);
        Assert.Equal(0, await scope.Db.Outbox.CountAsync(o => o.CompanyId == a.CompanyId && o.Kind == OutboxMessage.EmailKind && o.Payload.Contains("Estado de cuenta")));
    }

    [Fact]
    public async Task The_portal_statement_shows_only_the_signed_in_customer_and_sends_strangers_to_identify()
    {
        var s = await PortalScenario.CreateAsync(Factory, documents: 2);
        var other = await s.Merchant.CreateCustomerAsync(name: "Otro Cliente Vecino", email: "otro@vecino.cl");
        var othersDocument = await IssueAsync(s.Merchant, other, 50_000, -45);

        var stranger = Factory.CreateAppClient();
        foreach (var url in new[] { $"/portal/{s.Code}/estado-de-cuenta", $"/portal/{s.Code}/estado-de-cuenta?handler=Pdf" })
        {
            var response = await stranger.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/portal/{s.Code}", response.Headers.Location!.OriginalString);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync("/portal/no-existe/estado-de-cuenta")).StatusCode);

        var payer = await s.IdentifiedPayerAsync();
        var page = await payer.GetAsync($"/portal/{s.Code}/estado-de-cuenta");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Estado de cuenta", page.Text);
        Assert.Contains("Cliente Portal Ltda.", page.Text);
        Assert.Equal("$35.700", Cell(page, "statement-total"));
        Assert.Equal("$35.700", Cell(page, "aging-Current-amount"));
        Assert.Equal("$0", Cell(page, "statement-overdue"));
        Assert.Equal(s.DocumentIds.Select(id => $"statement-doc-{id}"),
            page.Document.QuerySelectorAll("[data-testid=statement-documents] tbody tr").Select(r => r.GetAttribute("data-testid")));
        Assert.DoesNotContain("Otro Cliente Vecino", page.Html);
        Assert.DoesNotContain("$59.500", page.Html);
        Assert.Null(page.Document.QuerySelector($"[data-testid=statement-doc-{othersDocument}]"));
        // The payer's page links nowhere in the back office.
        Assert.Null(page.Document.QuerySelector("main a[href^='/documentos/'], main a[href^='/reportes/']"));

        var pdf = await payer.Http.GetAsync(page.Document.QuerySelector("[data-testid=statement-pdf]")!.GetAttribute("href")!);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(), 0, 4));

        // The other customer, through their own session, sees their own debt only.
        var neighbour = Factory.CreateAppClient();
        await neighbour.FillAsync($"/portal/{s.Code}", new Dictionary<string, string?>
        {
            ["Input.Rut"] = await RutOfAsync(s.Merchant, other), ["Input.Contact"] = "otro@vecino.cl",
        });
        var theirs = await neighbour.GetAsync($"/portal/{s.Code}/estado-de-cuenta");
        Assert.Equal("$59.500", Cell(theirs, "statement-total"));
        Assert.Equal("$59.500", Cell(theirs, "aging-Days31To60-amount"));
        Assert.DoesNotContain("Cliente Portal Ltda.", theirs.Html);
    }

    private async Task<string> RutOfAsync(Merchant merchant, long customerId)
    {
        await using var scope = Factory.ScopeFor(merchant.CompanyId);
        return (await scope.Db.Customers.SingleAsync(c => c.Id == customerId)).Rut;
    }

    [Fact]
    public async Task Hostile_or_inverted_periods_get_a_spanish_message_next_to_the_field_and_never_a_server_error()
    {
        var s = await PortalScenario.CreateAsync(Factory, documents: 1);
        var m = s.Merchant;
        var payer = await s.IdentifiedPayerAsync();
        var bases = new (AppClient Client, string Url)[]
        {
            (m.Client, $"/clientes/{s.CustomerId}/estado-de-cuenta"), (payer, $"/portal/{s.Code}/estado-de-cuenta"),
        };

        foreach (var (client, url) in bases)
        {
            var inverted = await client.GetAsync($"{url}?desde=2026-05-10&hasta=2026-05-01");
            Assert.Equal(HttpStatusCode.OK, inverted.Status);
            Assert.Equal("La fecha «hasta» es anterior a «desde».", inverted.FieldError("hasta"));
            Assert.NotNull(inverted.Document.QuerySelector("[data-testid=statement-period-invalid]"));
            // The open documents still show; only the period's lists wait for a valid period.
            Assert.Equal("$11.900", Cell(inverted, "statement-total"));

            var tooLong = await client.GetAsync($"{url}?desde=2024-01-01&hasta=2026-01-01");
            Assert.Contains("como máximo 366 días", tooLong.FieldError("hasta"));

            string[] nasty = ["abc", "2026-02-31", "31-02-2026", "9999-12-31", "0001-01-01", "-1", "99999999999999999999999", "<script>alert(1)</script>",
                "'; DROP TABLE \"Payments\"; --", "ñandú ☃ 𝄞", "%00", new string('x', 5_000), "{{7*7}}"];
            foreach (var value in nasty)
            {
                var v = Uri.EscapeDataString(value);
                var shown = await client.GetAsync($"{url}?desde={v}&hasta={v}");
                Assert.True(shown.Status == HttpStatusCode.OK, $"GET {url}?desde={value[..Math.Min(20, value.Length)]} answered {(int)shown.Status}");
                Assert.StartsWith("La fecha «desde»", shown.FieldError("desde"));
                Assert.DoesNotContain("<script>alert(1)</script>", shown.Html);
                var pdf = await client.Http.GetAsync($"{url}?handler=Pdf&desde={v}&hasta=2026-01-01");
                Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
                Assert.Equal("text/html", pdf.Content.Headers.ContentType!.MediaType);
            }
        }

        // The email with a forged period is refused with the same message; nothing is queued.
        var page = await m.Client.GetAsync($"/clientes/{s.CustomerId}/estado-de-cuenta");
        var refused = await m.Client.SubmitAsync(page, new Dictionary<string, string?> { ["desde"] = "2026-13-40", ["hasta"] = "x" },
            button: "[data-testid=statement-email-form] button");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.StartsWith("La fecha «desde»", refused.FieldError("desde"));
        await using var scope = Factory.ScopeFor(m.CompanyId);
        Assert.Equal(0, await scope.Db.Outbox.CountAsync(o => o.CompanyId == m.CompanyId && o.Payload.Contains("Estado de cuenta")));
    }
}
