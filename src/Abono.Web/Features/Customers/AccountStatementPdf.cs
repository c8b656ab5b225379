using Abono.Web.Features.PortalSettings;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Customers;

/// <summary>The estado de cuenta as a PDF in the business's brand (see <see cref="BrandedPdf"/>).</summary>
public static class AccountStatementPdf
{
    public static string FileName(AccountStatement s) => $"estado-de-cuenta-{s.CustomerRut}-{s.Today:yyyy-MM-dd}.pdf";

    public static byte[] Render(AccountStatement s, PortalBrand brand, byte[]? logo)
    {
        using var pdf = BrandedPdf.Start("Estado de cuenta", brand, logo);
        pdf.Row("Cliente", Cut($"{s.CustomerName} · RUT {Rut.Format(s.CustomerRut)}", 60));
        pdf.Row("Fecha", ChileFormats.Date(s.Today));
        pdf.Row("Total adeudado", ChileFormats.Clp(s.TotalOwed));
        pdf.Row("Vencido", ChileFormats.Clp(s.Overdue));
        if (s.CreditBalance > 0)
        {
            pdf.Row("Saldo a favor", ChileFormats.Clp(s.CreditBalance));
        }

        pdf.Heading("Antigüedad de la deuda");
        pdf.TableRow(true, ("Tramo", BrandedPdf.Left), ("Documentos", -400), ("Saldo", -BrandedPdf.Right));
        foreach (var a in s.AgingTotals)
        {
            pdf.TableRow(false, (a.Bucket.Label(), BrandedPdf.Left), (a.Documents.ToString(ChileFormats.Culture), -400), (ChileFormats.Clp(a.Amount), -BrandedPdf.Right));
        }
        pdf.TableRow(false, ("Total", BrandedPdf.Left), (s.OpenDocuments.Count.ToString(ChileFormats.Culture), -400), (ChileFormats.Clp(s.TotalOwed), -BrandedPdf.Right));

        pdf.Heading("Documentos pendientes");
        if (s.OpenDocuments.Count == 0)
        {
            pdf.Paragraph("No hay documentos pendientes.");
        }
        else
        {
            pdf.TableRow(true, ("Documento", BrandedPdf.Left), ("Emisión", 210), ("Vencimiento", 285), ("Antigüedad", 370), ("Saldo", -BrandedPdf.Right));
            foreach (var d in s.OpenDocuments)
            {
                pdf.TableRow(false, (Cut(d.DisplayName, 26), BrandedPdf.Left), (ChileFormats.Date(d.IssueDate), 210), (ChileFormats.Date(d.DueDate), 285),
                    (d.Bucket.Label(), 370), (ChileFormats.Clp(d.Balance), -BrandedPdf.Right));
            }
        }

        if (s.Period is { } period)
        {
            pdf.Heading($"Pagos del {period.Label}");
            if (s.Payments.Count == 0)
            {
                pdf.Paragraph("No hay pagos en este período.");
            }
            else
            {
                pdf.TableRow(true, ("Fecha", BrandedPdf.Left), ("Comprobante", 165), ("Medio de pago", 255), ("Monto", -BrandedPdf.Right));
                foreach (var p in s.Payments)
                {
                    pdf.TableRow(false, (ChileFormats.DateTime(p.PaidAtUtc), BrandedPdf.Left), (p.Reference, 165),
                        (p.Method.Name() + (p.IsTest ? " (prueba)" : ""), 255), (ChileFormats.Clp(p.Amount), -BrandedPdf.Right));
                    if (p.RefundedAmount > 0)
                    {
                        pdf.TableRow(false, ("", BrandedPdf.Left), ("Reembolsado", 255), ("-" + ChileFormats.Clp(p.RefundedAmount), -BrandedPdf.Right));
                    }
                }
                pdf.TableRow(false, ("Total pagado", BrandedPdf.Left), (ChileFormats.Clp(s.PaymentsTotal), -BrandedPdf.Right));
            }

            pdf.Heading($"Notas de crédito del {period.Label}");
            if (s.CreditNotes.Count == 0)
            {
                pdf.Paragraph("No hay notas de crédito en este período.");
            }
            else
            {
                pdf.TableRow(true, ("Fecha", BrandedPdf.Left), ("Nota de crédito", 130), ("Referencia", 255), ("Monto", -BrandedPdf.Right));
                foreach (var n in s.CreditNotes)
                {
                    pdf.TableRow(false, (ChileFormats.Date(n.IssueDate), BrandedPdf.Left), ($"N° {n.Folio}", 130), (Cut(n.Reference ?? "—", 24), 255),
                        (ChileFormats.Clp(n.Total), -BrandedPdf.Right));
                }
                pdf.TableRow(false, ("Total notas de crédito", BrandedPdf.Left), (ChileFormats.Clp(s.CreditNotesTotal), -BrandedPdf.Right));
            }
        }

        if (s.CreditBalance > 0)
        {
            pdf.Y += 10;
            pdf.Paragraph($"Saldo a favor: {ChileFormats.Clp(s.CreditBalance)}, de pagos que no encontraron saldo pendiente.");
        }
        return pdf.Finish();
    }

    /// <summary>Cells do not wrap: a long name would run into the next column.</summary>
    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
