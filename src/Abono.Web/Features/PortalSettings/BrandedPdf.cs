using System.Reflection;
using Abono.Web.Platform.Chile;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Abono.Web.Features.PortalSettings;

/// <summary>
/// The one look of every PDF a payer receives (receipts, documents, statements): the business's logo and name on
/// top, an accent rule in its colour, the title, then rows and tables that flow onto new pages, and the business's
/// contact at the foot of every page. PDFsharp with DejaVu Sans embedded, so it renders the same anywhere.
/// </summary>
public sealed class BrandedPdf : IDisposable
{
    public const double Left = 50;
    public const double Right = 545;
    private const double Bottom = 770;
    private static readonly Lock FontLock = new();

    private readonly PdfDocument _document = new();
    private readonly PortalBrand _brand;
    private readonly XColor _accent;
    private PdfPage _page = null!;

    public XGraphics Gfx { get; private set; } = null!;
    public double Y { get; set; }
    public XFont TitleFont { get; }
    public XFont Bold { get; }
    public XFont Text { get; }
    public XFont Small { get; }

    private BrandedPdf(string title, PortalBrand brand, byte[]? logo, string? warning)
    {
        EnsureFonts();
        _brand = brand;
        _accent = XColor.FromArgb(Convert.ToInt32(brand.Accent[1..], 16) | unchecked((int)0xff000000));
        TitleFont = new XFont("DejaVu Sans", 16, XFontStyleEx.Bold);
        Bold = new XFont("DejaVu Sans", 10, XFontStyleEx.Bold);
        Text = new XFont("DejaVu Sans", 10, XFontStyleEx.Regular);
        Small = new XFont("DejaVu Sans", 8, XFontStyleEx.Regular);
        _document.Info.Title = title;
        _document.Info.Author = brand.CompanyName;
        NewPage();
        var top = 40.0;
        if (logo is not null)
        {
            using var stream = new MemoryStream(logo);
            using var image = XImage.FromStream(stream);
            var scale = Math.Min(160.0 / image.PixelWidth, 48.0 / image.PixelHeight);
            Gfx.DrawImage(image, Left, top, image.PixelWidth * scale, image.PixelHeight * scale);
            Gfx.DrawString(brand.Name, Bold, XBrushes.Black, new XRect(Left, top, Right - Left, 48), XStringFormats.CenterRight);
            top += 56;
        }
        else
        {
            Gfx.DrawString(brand.Name, new XFont("DejaVu Sans", 13, XFontStyleEx.Bold), XBrushes.Black, Left, top + 14);
            top += 24;
        }
        Gfx.DrawString($"{brand.CompanyName} · RUT {Rut.Format(brand.CompanyRut)}", Small, XBrushes.DimGray, Left, top + 4);
        Gfx.DrawRectangle(new XSolidBrush(_accent), Left, top + 10, Right - Left, 3);
        Y = top + 40;
        Gfx.DrawString(title, TitleFont, XBrushes.Black, Left, Y);
        Y += 26;
        if (warning is not null)
        {
            Gfx.DrawString(warning, Bold, XBrushes.DarkRed, Left, Y);
            Y += 22;
        }
    }

    /// <param name="warning">A line in red under the title, e.g. the test-mode note.</param>
    public static BrandedPdf Start(string title, PortalBrand brand, byte[]? logo, string? warning = null) => new(title, brand, logo, warning);

    /// <summary>Starts a new page when fewer than <paramref name="height"/> points are left.</summary>
    public void Need(double height)
    {
        if (Y + height > Bottom)
        {
            NewPage();
            Y = 50;
        }
    }

    public void Row(string label, string value)
    {
        Need(18);
        Gfx.DrawString(label, Bold, XBrushes.Black, Left, Y);
        Gfx.DrawString(value, Text, XBrushes.Black, 200, Y);
        Y += 18;
    }

    public void Heading(string text)
    {
        Need(40);
        Y += 10;
        Gfx.DrawString(text, Bold, new XSolidBrush(_accent), Left, Y);
        Y += 18;
    }

    public void Paragraph(string text, bool bold = false)
    {
        Need(16);
        Gfx.DrawString(text, bold ? Bold : Text, XBrushes.Black, new XRect(Left, Y - 10, Right - Left, 14), XStringFormats.TopLeft);
        Y += 16;
    }

    /// <summary>One table row: cells at the given left edges; a negative x aligns the cell's right edge at -x.</summary>
    public void TableRow(bool header, params (string Text, double X)[] cells)
    {
        Need(16);
        foreach (var (text, x) in cells)
        {
            var font = header ? Bold : Text;
            if (x < 0)
            {
                Gfx.DrawString(text, font, XBrushes.Black, new XRect(Left, Y - 10, -x - Left, 14), XStringFormats.TopRight);
            }
            else
            {
                Gfx.DrawString(text, font, XBrushes.Black, x, Y);
            }
        }
        Y += header ? 6 : 0;
        if (header)
        {
            Gfx.DrawLine(XPens.LightGray, Left, Y - 2, Right, Y - 2);
        }
        Y += 14;
    }

    public byte[] Finish()
    {
        Gfx.Dispose();
        using var stream = new MemoryStream();
        _document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    public void Dispose()
    {
        Gfx.Dispose();
        _document.Dispose();
    }

    private void NewPage()
    {
        Gfx?.Dispose();
        _page = _document.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        Gfx = XGraphics.FromPdfPage(_page);
        var contact = string.Join(" · ", new[] { _brand.Email, _brand.Phone is { } p ? ChileanPhone.Format(p) : null, _brand.Address }.Where(x => x is not null));
        var footer = contact.Length > 0 ? $"{_brand.CompanyName} · {contact}" : _brand.CompanyName;
        Gfx.DrawString(footer, Small, XBrushes.DimGray, new XRect(Left, 800, Right - Left, 12), XStringFormats.TopCenter);
        Gfx.DrawString("Pagos procesados con Abono", Small, XBrushes.DimGray, new XRect(Left, 812, Right - Left, 12), XStringFormats.TopCenter);
    }

    private static void EnsureFonts()
    {
        lock (FontLock)
        {
            if (GlobalFontSettings.FontResolver is not EmbeddedFontResolver)
            {
                GlobalFontSettings.FontResolver = new EmbeddedFontResolver();
            }
        }
    }

    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
            new(isBold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[] GetFont(string faceName)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Abono.Web.Assets.Fonts.{faceName}.ttf")
                ?? throw new InvalidOperationException($"Font {faceName} is not embedded.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
