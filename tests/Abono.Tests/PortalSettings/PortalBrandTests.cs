using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Abono.Web.Features.PortalSettings;
using SkiaSharp;

namespace Abono.Tests.PortalSettings;

/// <summary>
/// Configuración → Portal de pagos → Marca y contacto: the business's logo, colour and contact, checked before
/// anything is saved, and worn by every payer surface.
/// </summary>
public class PortalBrandTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task An_uploaded_logo_is_re_encoded_scaled_and_shown_on_the_portal_and_in_the_receipt_pdf()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        // A real PNG with something hidden after its end: the re-encoded file must carry none of it.
        var upload = Png(1200, 400).Concat(Encoding.ASCII.GetBytes("<script>alert(1)</script>")).ToArray();

        var saved = await PostBrandAsync(s.Merchant, logo: (upload, "logo.png", "image/png"), accent: "#7a1f5c");
        Assert.Contains("Marca y contacto del Portal de pagos guardados.", saved.Text);

        var portal = await factory.CreateAppClient().GetAsync($"/portal/{s.Code}");
        var img = portal.Document.QuerySelector("img.portal-logo")!;
        var src = img.GetAttribute("src")!;
        Assert.Matches($"^/portal/{s.Code}/logo\\?v=\\d+$", src);
        var css = portal.Document.QuerySelector($"link[href^='/portal/{s.Code}/marca.css']")!.GetAttribute("href")!;

        var logo = await factory.CreateAppClient().Http.GetAsync(src);
        Assert.Equal("image/png", logo.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", logo.Headers.CacheControl!.ToString());
        var bytes = await logo.Content.ReadAsByteArrayAsync();
        Assert.DoesNotContain("<script>", Encoding.ASCII.GetString(bytes));
        using (var decoded = SKBitmap.Decode(bytes))
        {
            Assert.Equal(480, decoded.Width);
            Assert.Equal(160, decoded.Height);
        }
        var styles = await (await factory.CreateAppClient().Http.GetAsync(css)).Content.ReadAsStringAsync();
        Assert.Contains("--abono-primary: #7a1f5c;", styles);

        // The receipt PDF carries the logo as an image.
        var payer = await s.IdentifiedPayerAsync();
        var result = await s.PayAsync(payer);
        var pdf = await (await payer.Http.GetAsync(result.Url + "?handler=Pdf")).Content.ReadAsByteArrayAsync();
        Assert.Matches(@"/Subtype\s*/Image", Encoding.Latin1.GetString(pdf));
    }

    [Theory]
    [InlineData("svg")]
    [InlineData("gif")]
    [InlineData("text")]
    [InlineData("huge")]
    [InlineData("empty")]
    public async Task Anything_but_a_png_or_jpeg_under_1_MB_is_refused_in_Spanish_and_nothing_is_saved(string kind)
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var (bytes, name, type) = kind switch
        {
            "svg" => (Encoding.UTF8.GetBytes("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><rect width='10' height='10'/></svg>"), "logo.png", "image/png"),
            "gif" => (Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), "logo.gif", "image/gif"),
            "text" => (Encoding.UTF8.GetBytes("MZ not an image at all"), "logo.jpg", "image/jpeg"),
            "huge" => (Png(10, 10).Concat(new byte[1024 * 1024 + 10]).ToArray(), "logo.png", "image/png"),
            _ => (Array.Empty<byte>(), "logo.png", "image/png"),
        };

        var page = await PostBrandAsync(s.Merchant, logo: (bytes, name, type), accent: "#7a1f5c", phone: "+56 9 2222 3333");

        var expected = kind switch
        {
            "huge" => "El logo puede pesar hasta 1 MB.",
            "empty" => "Elige un archivo de imagen.",
            _ => "El logo debe ser una imagen PNG o JPEG.",
        };
        Assert.Equal(expected, page.FieldError("Input.Logo"));
        Assert.Contains("no se guardó nada", page.Text);
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        var settings = await scope.Db.PortalConfigurations.SingleAsync();
        Assert.Equal(0, settings.LogoVersion);
        Assert.Null(settings.AccentColor);
        Assert.Null(settings.ContactPhone);
        Assert.False(await scope.Db.PortalLogos.AnyAsync());
    }

    [Fact]
    public async Task A_colour_white_text_cannot_be_read_on_is_refused_with_its_contrast()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var page = await PostBrandAsync(s.Merchant, accent: "#ffd700");
        Assert.StartsWith("Con este color el texto blanco no se lee bien (contraste 1,4:1", page.FieldError("Input.AccentColor"));

        var hostile = await PostBrandAsync(s.Merchant, accent: "red;}</style><script>");
        Assert.Equal("Elige un color (formato #rrggbb).", hostile.FieldError("Input.AccentColor"));
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Null((await scope.Db.PortalConfigurations.SingleAsync()).AccentColor);
    }

    [Fact]
    public async Task The_contact_payers_see_defaults_to_the_company_and_can_be_set_for_the_portal()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var before = await factory.CreateAppClient().GetAsync($"/portal/{s.Code}");
        Assert.Contains(s.Merchant.Email, before.Document.QuerySelector("[data-testid=portal-contact]")!.TextContent);

        var refused = await PostBrandAsync(s.Merchant, phone: "123", email: "no-es-correo");
        Assert.Equal("Ingresa un teléfono chileno válido, por ejemplo +56 9 1234 5678.", refused.FieldError("Input.ContactPhone"));
        Assert.NotNull(refused.FieldError("Input.ContactEmail"));

        await PostBrandAsync(s.Merchant, phone: "9 8765 4321", email: "ayuda@distribuidora.cl", address: "Av. Providencia 1234, Santiago");
        var after = await factory.CreateAppClient().GetAsync($"/portal/{s.Code}");
        var contact = after.Document.QuerySelector("[data-testid=portal-contact]")!.TextContent;
        Assert.Contains("ayuda@distribuidora.cl", contact);
        Assert.Contains("+56 9 8765 4321", contact);
        Assert.Contains("Av. Providencia 1234, Santiago", contact);
        Assert.NotNull(after.Document.QuerySelector("a[href='tel:+56987654321']"));
    }

    [Fact]
    public async Task Removing_the_logo_takes_it_off_the_portal_and_its_old_address_stops_answering()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        await PostBrandAsync(s.Merchant, logo: (Jpeg(300, 100), "logo.jpg", "image/jpeg"));
        var src = (await factory.CreateAppClient().GetAsync($"/portal/{s.Code}")).Document.QuerySelector("img.portal-logo")!.GetAttribute("src")!;
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateAppClient().Http.GetAsync(src)).StatusCode);

        await PostBrandAsync(s.Merchant, removeLogo: true);
        Assert.Null((await factory.CreateAppClient().GetAsync($"/portal/{s.Code}")).Document.QuerySelector("img.portal-logo"));
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateAppClient().Http.GetAsync(src)).StatusCode);
    }

    private async Task<AppClient.Page> PostBrandAsync(Merchant merchant, (byte[] Bytes, string Name, string Type)? logo = null, string? accent = null,
        string? phone = null, string? email = null, string? address = null, bool removeLogo = false)
    {
        var form = await merchant.Client.GetAsync("/configuracion/portal-de-pagos/marca");
        var content = new MultipartFormDataContent
        {
            { new StringContent(form.Value("__RequestVerificationToken")!), "__RequestVerificationToken" },
            { new StringContent(accent ?? form.Value("Input.AccentColor")!), "Input.AccentColor" },
            { new StringContent(phone ?? ""), "Input.ContactPhone" },
            { new StringContent(email ?? ""), "Input.ContactEmail" },
            { new StringContent(address ?? ""), "Input.ContactAddress" },
        };
        if (removeLogo)
        {
            content.Add(new StringContent("true"), "Input.RemoveLogo");
        }
        if (logo is { } file)
        {
            var part = new ByteArrayContent(file.Bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(file.Type);
            content.Add(part, "Input.Logo", file.Name);
        }
        var response = await merchant.Client.Http.PostAsync("/configuracion/portal-de-pagos/marca", content);
        return await merchant.Client.FollowAsync(response, "/configuracion/portal-de-pagos/marca");
    }

    private static byte[] Png(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png);

    private static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg);

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(0x7a, 0x1f, 0x5c));
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }
}
