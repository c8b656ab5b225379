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

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _smtp.DisposeAsync();
    }
}
