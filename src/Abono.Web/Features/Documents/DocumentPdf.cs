using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using PdfSharp.Drawing;

namespace Abono.Web.Features.Documents;

/// <summary>
/// A document (factura, boleta, nota) as a PDF in the business's brand, for the payer's portal and the back office.
/// It is drawn from Abono's own record of the document: Abono neither signs nor sends DTEs, so the PDF says it does not
/// replace the document stamped for the SII.
/// </summary>
public static class DocumentPdf
{
    public const string Disclaimer = "Representación del documento; no reemplaza al DTE timbrado.";

    private const double QuantityRight = 330;
    private const double UnitPriceRight = 440;
    private const double DescriptionWidth = 200;

    /// <param name="document">With its <see cref="Document.Lines"/> and <see cref="Document.Customer"/> loaded.</param>
    /// <param name="reference">The document a nota amends, when there is one.</param>
    /// <param name="notes">Notas de crédito and débito that amend this document.</param>
    public static byte[] Render(Document document, Document? reference, IReadOnlyList<Document> notes, PortalBrand brand, byte[]? logo, DateOnly today)
    {
        using var pdf = BrandedPdf.Start(Title(document), brand, logo);
        if (document.Customer is { } customer)
        {
            pdf.Row("Cliente", Fit(pdf, $"{customer.Name} · RUT {Rut.Format(customer.Rut)}", BrandedPdf.Right - 200));
        }
        pdf.Row("Fecha de emisión", ChileFormats.Date(document.IssueDate));
        // A nota de crédito is owed by no one: no due date, no status, no balance.
        if (document.Type != DocumentType.NotaCredito)
        {
            pdf.Row("Vencimiento", ChileFormats.Date(document.DueDate));
            pdf.Row("Estado", $"{StatusName(document.StatusOn(today))} al {ChileFormats.Date(today)}");
        }
        if (reference is not null)
        {
            pdf.Row("Referencia", Fit(pdf, $"{reference.Type.Name()} N° {reference.Folio}{(document.ReferenceReason is { } reason ? $" · {reason}" : "")}",
                BrandedPdf.Right - 200));
        }

        pdf.Heading("Detalle");
        pdf.TableRow(true, ("Descripción", BrandedPdf.Left), ("Cantidad", -QuantityRight), ("Precio unitario", -UnitPriceRight), ("Monto", -BrandedPdf.Right));
        foreach (var line in document.Lines.OrderBy(l => l.LineNumber))
        {
            var description = Wrap(pdf, line.Description + (line.IsExempt ? " (exento)" : ""), DescriptionWidth);
            pdf.TableRow(false,
                (description[0], BrandedPdf.Left),
                (line.Quantity.ToString("#,0", ChileFormats.Numbers), -QuantityRight),
                (ChileFormats.Clp(line.UnitPrice), -UnitPriceRight),
                (ChileFormats.Clp(line.Amount), -BrandedPdf.Right));
            foreach (var more in description.Skip(1))
            {
                pdf.TableRow(false, (more, BrandedPdf.Left));
            }
            if (description.Count > 1)
            {
                // Keeps a wrapped description from reading as part of the next line.
                pdf.Y += 4;
            }
        }

        pdf.Y += 8;
        Total(pdf, "Neto", document.Net);
        Total(pdf, "Exento", document.Exempt);
        Total(pdf, $"IVA {TaxCalculator.VatPercent}%", document.Tax);
        Total(pdf, "Total", document.Total, bold: true);
        if (document.Type != DocumentType.NotaCredito)
        {
            Total(pdf, "Saldo", document.Balance, bold: true);
        }

        if (notes.Count > 0)
        {
            pdf.Heading("Notas que modifican este documento");
            foreach (var note in notes)
            {
                pdf.TableRow(false, ($"{note.Type.Name()} N° {note.Folio} · {ChileFormats.Date(note.IssueDate)}", BrandedPdf.Left),
                    ((note.Type == DocumentType.NotaCredito ? "-" : "+") + ChileFormats.Clp(note.Total), -BrandedPdf.Right));
            }
        }

        pdf.Y += 16;
        pdf.Paragraph(Disclaimer);
        return pdf.Finish();
    }

    /// <summary>"Factura electrónica N° 123".</summary>
    public static string Title(Document document) => $"{document.Type.Name()} N° {document.Folio}";

    /// <summary>"factura-electronica-123.pdf": plain ASCII, so every browser and mail client keeps it as is.</summary>
    public static string FileName(Document document) => document.Type switch
    {
        DocumentType.Factura => "factura-electronica",
        DocumentType.FacturaExenta => "factura-exenta",
        DocumentType.Boleta => "boleta-electronica",
        DocumentType.BoletaExenta => "boleta-exenta",
        DocumentType.NotaDebito => "nota-de-debito",
        DocumentType.NotaCredito => "nota-de-credito",
        _ => "documento",
    } + $"-{document.Folio}.pdf";

    public static string StatusName(DocumentStatus status) => status switch
    {
        DocumentStatus.Pagado => "Pagado",
        DocumentStatus.Vencido => "Vencido",
        DocumentStatus.Aplicada => "Aplicada",
        _ => "Pendiente",
    };

    private static void Total(BrandedPdf pdf, string label, long amount, bool bold = false)
    {
        pdf.Need(16);
        var font = bold ? pdf.Bold : pdf.Text;
        pdf.Gfx.DrawString(label, font, XBrushes.Black, new XRect(BrandedPdf.Left, pdf.Y - 10, UnitPriceRight - BrandedPdf.Left, 14), XStringFormats.TopRight);
        pdf.Gfx.DrawString(ChileFormats.Clp(amount), font, XBrushes.Black, new XRect(BrandedPdf.Left, pdf.Y - 10, BrandedPdf.Right - BrandedPdf.Left, 14), XStringFormats.TopRight);
        pdf.Y += 16;
    }

    /// <summary>Names and reasons are free text: cut to their column instead of drawing over the next one.</summary>
    private static string Fit(BrandedPdf pdf, string text, double width)
    {
        if (Width(pdf, text) <= width)
        {
            return text;
        }
        var (fits, over) = (0, text.Length);
        while (over - fits > 1)
        {
            var mid = (fits + over) / 2;
            (fits, over) = Width(pdf, text[..mid] + "…") <= width ? (mid, over) : (fits, mid);
        }
        return text[..fits].TrimEnd() + "…";
    }

    /// <summary>A line's description on as many rows as it needs (up to a few), broken between words where it can.</summary>
    private static List<string> Wrap(BrandedPdf pdf, string text, double width)
    {
        const int maxRows = 6;
        var rows = new List<string>();
        var rest = text.Trim();
        while (rest.Length > 0 && rows.Count < maxRows)
        {
            if (Width(pdf, rest) <= width)
            {
                rows.Add(rest);
                return rows;
            }
            if (rows.Count == maxRows - 1)
            {
                rows.Add(Fit(pdf, rest, width));
                return rows;
            }
            var (fits, over) = (1, rest.Length);
            while (over - fits > 1)
            {
                var mid = (fits + over) / 2;
                (fits, over) = Width(pdf, rest[..mid]) <= width ? (mid, over) : (fits, mid);
            }
            var space = rest.LastIndexOf(' ', fits);
            var cut = space > 0 ? space : fits;
            rows.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }
        return rows.Count == 0 ? [""] : rows;
    }

    private static double Width(BrandedPdf pdf, string text) => pdf.Gfx.MeasureString(text, pdf.Text).Width;
}
