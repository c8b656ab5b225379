using System.Text.Json;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using AngleSharp.Html.Parser;
using MimeKit;

namespace Abono.Tests.Platform;

/// <summary>The email layout: HTML and text that say the same, values always encoded, and the MIME structure mail clients expect.</summary>
public class EmailLayoutTests
{
    private const string Hostile = "<script>alert(1)</script>";

    private static readonly PortalBrand Brand = new("Paga a Comercial Demo", "Comercial Demo SpA", "76123456-0", "abc123", "#7a1f5c",
        "pagos@comercialdemo.cl", "+56223456789", "Av. Providencia 1234, Santiago", 0);

    private static EmailLayout Sample(BrandedEmail mail) =>
        mail.Layout("Comprobante de pago P-000123")
            .Paragraph($"Hola {Hostile}: recibimos tu pago.")
            .Facts([("Cliente", $"{Hostile} (RUT 12.345.678-5)"), ("Monto", "$35.700")])
            .Table("Documentos", [new("Documento"), new("Abono", Numeric: true)],
                [new EmailRow("Factura N° 1: $35.700 (pagado)", ["Factura N° 1", "$35.700"])],
                new EmailRow("Total: $35.700", ["Total", "$35.700"]))
            .Button("Ir al portal de pagos", "https://pagos.abono.cl/portal/abc123?a=1&b=2", "Revisa tus documentos");

    [Fact]
    public void Every_value_in_the_html_is_encoded_and_the_text_alternative_says_the_same_in_plain_words()
    {
        var layout = Sample(new BrandedEmail(Brand, null, "cobranza@comercialdemo.cl"));

        Assert.DoesNotContain("<script", layout.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", layout.Html);
        var html = new HtmlParser().ParseDocument(layout.Html);
        Assert.Empty(html.QuerySelectorAll("script"));
        Assert.Contains(Hostile, html.Body!.TextContent);
        // The text part is plain text: the name as typed, the link spelled out.
        Assert.Contains($"Hola {Hostile}: recibimos tu pago.", layout.Text);
        Assert.Contains("  · Factura N° 1: $35.700 (pagado)", layout.Text);
        Assert.Contains("Revisa tus documentos: https://pagos.abono.cl/portal/abc123?a=1&b=2", layout.Text);
        Assert.Contains("Comercial Demo SpA · RUT 76.123.456-0", layout.Text);
    }

    [Fact]
    public void The_html_is_a_spanish_email_with_the_brand_a_real_documents_table_and_a_button_back()
    {
        var layout = Sample(new BrandedEmail(Brand, null, null));
        var html = new HtmlParser().ParseDocument(layout.Html);

        Assert.Equal("es-CL", html.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Comprobante de pago P-000123", html.QuerySelector("h1")!.TextContent);
        Assert.Contains("Paga a Comercial Demo", html.Body!.TextContent);
        var table = Assert.Single(html.QuerySelectorAll("caption")).ParentElement!;
        Assert.Equal("Documentos", table.QuerySelector("caption")!.TextContent);
        Assert.Equal(["Documento", "Abono"], table.QuerySelectorAll("thead th[scope=col]").Select(th => th.TextContent));
        Assert.Equal("Factura N° 1", table.QuerySelector("tbody th[scope=row]")!.TextContent);
        Assert.Contains("text-align:right", table.QuerySelector("tbody td")!.GetAttribute("style"));
        Assert.Equal("$35.700", table.QuerySelector("tfoot td")!.TextContent);
        var links = html.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")).ToList();
        Assert.All(links, href => Assert.Equal("https://pagos.abono.cl/portal/abc123?a=1&b=2", href));
        Assert.Equal(2, links.Count);   // the button and the address spelled out under it
        Assert.Contains("background-color:#7a1f5c", layout.Html);
        // The business's contact, as on its portal.
        Assert.Contains($"pagos@comercialdemo.cl · {Abono.Web.Platform.Chile.ChileanPhone.Format("+56223456789")} · Av. Providencia 1234, Santiago", html.Body.TextContent);
        Assert.DoesNotContain("<link", layout.Html);   // no stylesheet survives mail clients: styles are inline
    }

    [Fact]
    public void Links_must_be_absolute_web_addresses_and_a_colour_that_is_not_hex_falls_back_to_abonos()
    {
        var layout = new EmailLayout(new EmailBrand("X", "red;background:url(https://evil.example)", []), "T");
        Assert.Throws<ArgumentException>(() => layout.Button("Pagar", "javascript:alert(1)"));
        Assert.Throws<ArgumentException>(() => layout.Button("Pagar", "/portal/abc"));
        layout.Button("Pagar", "https://pagos.abono.cl/portal/abc");
        Assert.DoesNotContain("evil.example", layout.Html);
        Assert.Contains(EmailBrand.AbonoAccent, layout.Html);
    }

    [Fact]
    public void A_portal_email_is_sent_as_the_portal_via_abono_with_reply_to_the_emisor_and_the_logo_inline()
    {
        var png = Png(480, 160);
        var mail = new BrandedEmail(Brand with { LogoVersion = 3 }, png, "cobranza@comercialdemo.cl");
        var pdf = new EmailAttachment("comprobante-P-000123.pdf", "application/pdf", Convert.ToBase64String("%PDF-1.4"u8.ToArray()));
        var message = mail.Message("cliente@ejemplo.cl", "Comprobante de pago P-000123 · Paga a Comercial Demo", Sample(mail), [pdf]);

        Assert.Equal("Paga a Comercial Demo vía Abono", message.FromName);
        Assert.Equal("cobranza@comercialdemo.cl", message.ReplyTo);
        // The Emisor's own copy needs no Reply-To to itself.
        Assert.Null(mail.Message("cobranza@comercialdemo.cl", "s", Sample(mail)).ReplyTo);

        // Through the outbox's JSON and MimeKit, as the relay sends it.
        var stored = JsonSerializer.Deserialize<EmailMessage>(OutboxMessage.Email(null, message, DateTime.UtcNow).Payload)!;
        var mime = SmtpEmailSender.Build(stored, new SmtpOptions());
        var from = mime.From.Mailboxes.Single();
        Assert.Equal(("Paga a Comercial Demo vía Abono", "no-reply@abono.cl"), (from.Name, from.Address));
        Assert.Equal("cobranza@comercialdemo.cl", mime.ReplyTo.Mailboxes.Single().Address);
        var alternative = Assert.Single(Parts(mime.Body).OfType<MultipartAlternative>());
        Assert.Contains(Parts(alternative), p => p is TextPart { IsPlain: true });
        var related = Assert.Single(Parts(alternative).OfType<MultipartRelated>());
        var logo = Parts(related).OfType<MimePart>().Single(p => p.ContentType.MimeType == "image/png");
        Assert.Equal(BrandedEmail.LogoContentId, logo.ContentId);
        Assert.Contains($"src=\"cid:{BrandedEmail.LogoContentId}\" width=\"168\" height=\"56\"", mime.HtmlBody);
        // The PDF stays an attachment; the logo is not one.
        Assert.Equal(["comprobante-P-000123.pdf"], mime.Attachments.OfType<MimePart>().Select(a => a.FileName));
    }

    [Fact]
    public void A_display_name_with_line_breaks_cannot_add_headers()
    {
        var message = new EmailMessage("cliente@ejemplo.cl", "s", "t", FromName: "Portal\r\nBcc: victima@ejemplo.cl vía Abono");
        var mime = SmtpEmailSender.Build(message, new SmtpOptions());

        Assert.Equal("Portal Bcc: victima@ejemplo.cl vía Abono", mime.From.Mailboxes.Single().Name);
        Assert.Empty(mime.Bcc);
        using var written = new MemoryStream();
        mime.WriteTo(written);
        var reread = MimeMessage.Load(new MemoryStream(written.ToArray()));
        Assert.Empty(reread.Bcc);
        Assert.Equal("Portal Bcc: victima@ejemplo.cl vía Abono", reread.From.Mailboxes.Single().Name);
    }

    [Fact]
    public void An_email_queued_before_html_existed_is_still_read_and_sent_as_plain_text_from_abono()
    {
        const string queuedEarlier = """{"To":"x@ejemplo.cl","Subject":"Recordatorio","TextBody":"Hola","Attachments":null,"MessageId":null}""";
        var message = JsonSerializer.Deserialize<EmailMessage>(queuedEarlier)!;
        Assert.Null(message.HtmlBody);
        var mime = SmtpEmailSender.Build(message, new SmtpOptions());
        Assert.Equal("Abono", mime.From.Mailboxes.Single().Name);
        Assert.Empty(mime.ReplyTo);
        Assert.IsType<TextPart>(mime.Body);
    }

    /// <summary>The entity and every part inside it, depth first.</summary>
    public static IEnumerable<MimeEntity> Parts(MimeEntity? entity) =>
        entity is null ? [] : entity is Multipart multipart ? new[] { entity }.Concat(multipart.SelectMany(Parts)) : [entity];

    public static byte[] Png(int width, int height)
    {
        using var bitmap = new SkiaSharp.SKBitmap(width, height);
        bitmap.Erase(new SkiaSharp.SKColor(0x7a, 0x1f, 0x5c));
        using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
