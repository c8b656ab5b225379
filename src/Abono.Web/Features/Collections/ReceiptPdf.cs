using System.Reflection;
using Abono.Web.Features.Documents;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Abono.Web.Features.Collections;

public sealed record ReceiptData(
    long Number, string PortalName, string CompanyName, string CompanyRut, string CustomerName, string CustomerRut,
    DateTime PaidAtUtc, GatewayKind Method, string? GatewayReference, long Amount, long CreditAmount,
    IReadOnlyList<(DocumentType Type, long Folio, long Applied, long BalanceAfter)> Documents, bool IsTest = false)
{
    public const string TestModeNote = "MODO DE PRUEBA · pagado con la Pasarela de prueba, sin dinero real";
}

/// <summary>The comprobante de pago as a one-page PDF (PDFsharp, DejaVu Sans embedded so it renders anywhere).</summary>
public static class ReceiptPdf
{
    private static readonly Lock FontLock = new();

    public static byte[] Render(ReceiptData r)
    {
        EnsureFonts();
        using var document = new PdfDocument();
        document.Info.Title = $"Comprobante de pago N° {r.Number}";
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var title = new XFont("DejaVu Sans", 16, XFontStyleEx.Bold);
            var bold = new XFont("DejaVu Sans", 10, XFontStyleEx.Bold);
            var text = new XFont("DejaVu Sans", 10, XFontStyleEx.Regular);
            double y = 50;
            gfx.DrawString($"Comprobante de pago N° {r.Number}", title, XBrushes.Black, 50, y);
            y += 24;
            gfx.DrawString(r.PortalName, text, XBrushes.Black, 50, y);
            y += 30;
            if (r.IsTest)
            {
                gfx.DrawString(ReceiptData.TestModeNote, bold, XBrushes.DarkRed, 50, y);
                y += 24;
            }
            void Row(string label, string value)
            {
                gfx.DrawString(label, bold, XBrushes.Black, 50, y);
                gfx.DrawString(value, text, XBrushes.Black, 200, y);
                y += 18;
            }
            Row("Empresa", $"{r.CompanyName} · RUT {Rut.Format(r.CompanyRut)}");
            Row("Cliente", $"{r.CustomerName} · RUT {Rut.Format(r.CustomerRut)}");
            Row("Fecha", ChileFormats.DateTime(r.PaidAtUtc));
            Row("Medio de pago", r.Method.Name());
            Row("Referencia", r.GatewayReference ?? "—");
            Row("Monto pagado", ChileFormats.Clp(r.Amount));
            y += 12;
            gfx.DrawString("Documentos pagados", bold, XBrushes.Black, 50, y);
            y += 18;
            foreach (var (type, folio, applied, after) in r.Documents)
            {
                gfx.DrawString($"{type.ShortName()} N° {folio}", text, XBrushes.Black, 60, y);
                gfx.DrawString($"abono {ChileFormats.Clp(applied)}", text, XBrushes.Black, 260, y);
                gfx.DrawString(after == 0 ? "Pagado" : $"saldo {ChileFormats.Clp(after)}", text, XBrushes.Black, 400, y);
                y += 16;
            }
            if (r.CreditAmount > 0)
            {
                y += 10;
                gfx.DrawString($"Saldo a favor del cliente: {ChileFormats.Clp(r.CreditAmount)} (será reembolsado)", bold, XBrushes.Black, 50, y);
            }
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
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
