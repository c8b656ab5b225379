using Abono.Web.Platform.Outbox;

namespace Abono.Tests.Collections;

/// <summary>Each confirmed payment emails a receipt with the PDF to the portal's Emisor and to the customer, over real SMTP.</summary>
public sealed class ReceiptEmailTests : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new();
    private readonly AbonoFactory _factory = new();

    public Task InitializeAsync()
    {
        _factory.SmtpPort = _smtp.Port;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Both_the_emisor_and_the_customer_receive_the_receipt_with_the_pdf()
    {
        var s = await PortalScenario.CreateAsync(_factory, documents: 2);
        var payer = await s.IdentifiedPayerAsync();
        var result = await s.PayAsync(payer);
        var number = result.Document.QuerySelector("[data-testid=receipt-number]")!.TextContent.Trim();

        var relay = _factory.Services.GetRequiredService<OutboxRelay>();
        while (await relay.RunOnceAsync() > 0)
        {
        }

        foreach (var address in new[] { PortalScenario.IssuerEmail, PortalScenario.CustomerEmail })
        {
            var mail = await _smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == address) && (m.Subject ?? "").Contains($"Comprobante de pago {number}"));
            Assert.Contains("$35.700", mail.TextBody);
            Assert.Contains("Factura N° 1", mail.TextBody);
            var pdf = Assert.Single(mail.Attachments.OfType<MimeKit.MimePart>());
            Assert.Equal("application/pdf", pdf.ContentType.MimeType);
            Assert.Equal($"comprobante-{number}.pdf", pdf.FileName);
            using var content = new MemoryStream();
            await pdf.Content!.DecodeToAsync(content);
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(content.ToArray(), 0, 4));
        }
        Assert.Equal(2, _smtp.Messages.Count(m => (m.Subject ?? "").Contains("Comprobante")));
        Assert.DoesNotContain(_factory.Logs.Lines, l => l.Contains(PortalScenario.CustomerEmail) || l.Contains(s.CustomerRut));
    }

    [Fact]
    public async Task The_receipt_pdf_is_made_when_sent_and_says_the_balances_as_they_were_after_its_own_payment()
    {
        var s = await PortalScenario.CreateAsync(_factory, allowPartial: true, documents: 1);
        var payer = await s.IdentifiedPayerAsync();
        var first = await s.PayAsync(payer, amount: 5_000);
        var firstNumber = first.Document.QuerySelector("[data-testid=receipt-number]")!.TextContent.Trim();
        // The confirmation's transaction queued small rows: no PDF (base64 "%PDF" is "JVBER") inside them.
        await using (var scope = _factory.ScopeFor(s.Merchant.CompanyId))
        {
            var rows = await scope.Db.Outbox.Where(m => m.Payload.Contains(firstNumber)).ToListAsync();
            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.DoesNotContain("JVBER", r.Payload));
            Assert.All(rows, r => Assert.True(r.Payload.Length < 20_000, $"{r.Payload.Length} characters"));
        }
        // The rest is paid before the relay sends the first receipt.
        var second = await s.PayAsync(payer);
        var secondNumber = second.Document.QuerySelector("[data-testid=receipt-number]")!.TextContent.Trim();

        var relay = _factory.Services.GetRequiredService<OutboxRelay>();
        while (await relay.RunOnceAsync() > 0)
        {
        }

        var firstPdf = await PdfTextAsync(await _smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == PortalScenario.CustomerEmail)
            && (m.Subject ?? "").Contains($"Comprobante de pago {firstNumber}")));
        Assert.Contains("$5.000", firstPdf);
        Assert.Contains("$6.900", firstPdf);
        var secondPdf = await PdfTextAsync(await _smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == PortalScenario.CustomerEmail)
            && (m.Subject ?? "").Contains($"Comprobante de pago {secondNumber}")));
        Assert.Contains("$6.900", secondPdf);
        Assert.Contains("Pagado", secondPdf);
    }

    private static async Task<string> PdfTextAsync(MimeKit.MimeMessage mail)
    {
        var part = Assert.Single(mail.Attachments.OfType<MimeKit.MimePart>());
        using var content = new MemoryStream();
        await part.Content!.DecodeToAsync(content);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(content.ToArray());
        return string.Join(" ", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _smtp.DisposeAsync();
    }
}
