using Abono.Web.Features.Documents.Dte;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using PdfSharp.Drawing;

namespace Abono.Web.Features.Documents;

/// <summary>
/// The printed representation of an imported DTE, laid out as the SII's (emisor at the top left, the red box with
/// RUT, type and folio at the top right, receptor, lines, references, totals, and the Timbre Electrónico as a PDF417
/// at the bottom), drawn from the DTE XML itself. Our own record adds only what the XML cannot know: the balance today.
/// </summary>
public static class DtePdf
{
    private const double BoxLeft = 380;
    private static readonly XColor SiiRed = XColor.FromArgb(204, 0, 0);

    public static byte[] Render(Document document, DteDocument dte, PortalBrand brand, byte[]? logo, DateOnly today)
    {
        using var pdf = BrandedPdf.Start(DocumentPdf.Title(document), brand, logo);
        var top = pdf.Y;

        // The red box: R.U.T., document type, N°.
        var box = new XRect(BoxLeft, top - 12, BrandedPdf.Right - BoxLeft, 66);
        var pen = new XPen(SiiRed, 2);
        pdf.Gfx.DrawRectangle(pen, box);
        var red = new XSolidBrush(SiiRed);
        var rut = dte.Emisor.Rut is { } r ? Rut.Format(r.Normalized) : dte.Emisor.RutEmisor ?? "";
        pdf.Gfx.DrawString($"R.U.T.: {rut}", pdf.Bold, red, new XRect(box.X, box.Y + 6, box.Width, 14), XStringFormats.TopCenter);
        pdf.Gfx.DrawString(document.Type.Name().ToUpperInvariant(), pdf.Bold, red, new XRect(box.X, box.Y + 24, box.Width, 14), XStringFormats.TopCenter);
        pdf.Gfx.DrawString($"N° {document.Folio}", pdf.Bold, red, new XRect(box.X, box.Y + 42, box.Width, 14), XStringFormats.TopCenter);

        // Emisor, at the left of the box.
        var emisor = new[] { dte.Emisor.RznSoc, dte.Emisor.GiroEmis, dte.Emisor.CorreoEmisor }.Where(t => !string.IsNullOrWhiteSpace(t));
        var y = top;
        foreach (var line in emisor)
        {
            pdf.Gfx.DrawString(Cut(line!, 60), y == top ? pdf.Bold : pdf.Text, XBrushes.Black, new XRect(BrandedPdf.Left, y - 10, BoxLeft - BrandedPdf.Left - 8, 14), XStringFormats.TopLeft);
            y += 14;
        }
        pdf.Y = Math.Max(y, top + 66) + 10;

        var receptor = dte.Receptor;
        pdf.Row("Señor(es)", Cut(receptor.RznSocRecep ?? document.Customer?.Name ?? "", 60));
        pdf.Row("R.U.T.", receptor.Rut is { } rr ? Rut.Format(rr.Normalized) : receptor.RutRecep ?? "");
        if (!string.IsNullOrWhiteSpace(receptor.DirRecep) || !string.IsNullOrWhiteSpace(receptor.CmnaRecep))
        {
            pdf.Row("Dirección", Cut(string.Join(", ", new[] { receptor.DirRecep, receptor.CmnaRecep, receptor.CiudadRecep }.Where(t => !string.IsNullOrWhiteSpace(t))), 60));
        }
        pdf.Row("Fecha de emisión", ChileFormats.Date(document.IssueDate));
        if (document.Type != DocumentType.NotaCredito)
        {
            pdf.Row("Vencimiento", ChileFormats.Date(document.DueDate));
        }
        pdf.Row("Forma de pago", dte.FmaPago switch
        {
            DtePaymentForm.Contado => "Contado",
            DtePaymentForm.Credito => "Crédito",
            DtePaymentForm.SinCosto => "Sin costo",
            _ => "No indicada",
        });

        pdf.Heading("Detalle");
        pdf.TableRow(true, ("Descripción", BrandedPdf.Left), ("Cantidad", -330), ("Precio", -440), ("Monto", -BrandedPdf.Right));
        foreach (var line in dte.Detalle)
        {
            pdf.TableRow(false,
                (Cut((line.NmbItem ?? "") + (line.IndExe == 1 ? " (exento)" : ""), 40), BrandedPdf.Left),
                (line.QtyItem?.ToString("#,0.##", ChileFormats.Numbers) ?? "", -330),
                (line.PrcItem is { } price ? "$" + price.ToString("#,0.##", ChileFormats.Numbers) : "", -440),
                (line.MontoItem is { } amount ? ChileFormats.Clp(amount) : "", -BrandedPdf.Right));
        }

        if (dte.Referencias.Count > 0)
        {
            pdf.Heading("Referencias");
            foreach (var reference in dte.Referencias)
            {
                var kind = reference.TipoDte is int code && DocumentTypes.IsDefined(code) ? ((DocumentType)code).Name() : $"Documento tipo {reference.TpoDocRef}";
                var what = reference.CodRef switch { 1 => "anula", 2 => "corrige texto", 3 => "corrige montos", _ => null };
                pdf.TableRow(false, (Cut($"{kind} N° {reference.FolioRef}{(reference.FchRef is { } d ? $" del {ChileFormats.Date(d)}" : "")}" +
                    $"{(what is null ? "" : $" · {what}")}{(string.IsNullOrWhiteSpace(reference.RazonRef) ? "" : $" · {reference.RazonRef}")}", 90), BrandedPdf.Left));
            }
        }

        pdf.Y += 8;
        var totals = dte.Totales;
        Total(pdf, "Monto neto", totals.MntNeto);
        Total(pdf, "Monto exento", totals.MntExe);
        Total(pdf, $"IVA {(totals.TasaIVA ?? TaxCalculator.VatPercent).ToString("0.##", ChileFormats.Numbers)}%", totals.IVA);
        foreach (var tax in totals.ImptoReten)
        {
            Total(pdf, $"Impuesto {tax.TipoImp}", tax.MontoImp);
        }
        Total(pdf, "Total", totals.MntTotal ?? document.Total, bold: true);
        if (document.Type != DocumentType.NotaCredito)
        {
            Total(pdf, $"Saldo al {ChileFormats.Date(today)}", document.Balance, bold: true);
        }

        if (dte.TedXml is { } ted)
        {
            Timbre(pdf, ted);
        }
        pdf.Y += 12;
        pdf.Paragraph(dte.HasTed ? "Representación impresa del DTE, generada desde su XML." : DocumentPdf.Disclaimer);
        return pdf.Finish();
    }

    /// <summary>The PDF417 of the TED, drawn module by module (no image), with the SII's caption under it.</summary>
    private static void Timbre(BrandedPdf pdf, string ted)
    {
        var matrix = SiiTimbre.Encode(ted);
        const double width = 220;
        var module = width / matrix.Width;
        var height = module * 3 * matrix.Height; // PDF417 rows are drawn three modules tall, as printers do.
        pdf.Need(height + 50);
        pdf.Y += 10;
        var x0 = BrandedPdf.Left;
        var y0 = pdf.Y;
        for (var row = 0; row < matrix.Height; row++)
        {
            for (var col = 0; col < matrix.Width; col++)
            {
                if (!matrix[col, row])
                {
                    continue;
                }
                var run = 1;
                while (col + run < matrix.Width && matrix[col + run, row])
                {
                    run++;
                }
                pdf.Gfx.DrawRectangle(XBrushes.Black, x0 + col * module, y0 + row * module * 3, run * module, module * 3);
                col += run - 1;
            }
        }
        pdf.Y = y0 + height + 14;
        pdf.Gfx.DrawString("Timbre Electrónico SII", pdf.Bold, XBrushes.Black, new XRect(x0, pdf.Y - 10, width, 14), XStringFormats.TopCenter);
        pdf.Y += 14;
        pdf.Gfx.DrawString("Verifique documento: www.sii.cl", pdf.Text, XBrushes.Black, new XRect(x0, pdf.Y - 10, width, 14), XStringFormats.TopCenter);
        pdf.Y += 14;
    }

    private static void Total(BrandedPdf pdf, string label, long? amount, bool bold = false)
    {
        if (amount is null)
        {
            return;
        }
        pdf.Need(16);
        var font = bold ? pdf.Bold : pdf.Text;
        pdf.Gfx.DrawString(label, font, XBrushes.Black, new XRect(BrandedPdf.Left, pdf.Y - 10, 440 - BrandedPdf.Left, 14), XStringFormats.TopRight);
        pdf.Gfx.DrawString(ChileFormats.Clp(amount.Value), font, XBrushes.Black, new XRect(BrandedPdf.Left, pdf.Y - 10, BrandedPdf.Right - BrandedPdf.Left, 14), XStringFormats.TopRight);
        pdf.Y += 16;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";
}
