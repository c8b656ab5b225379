using Abono.Web.Features.Documents;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Collections;

public sealed record ReceiptLine(long DocumentId, DocumentType Type, long Folio, long Applied, long BalanceAfter);

public sealed record ReceiptData(
    long Number, PortalBrand Brand, string CustomerName, string CustomerRut,
    DateTime PaidAtUtc, GatewayKind Method, string? GatewayReference, long Amount, long CreditAmount,
    IReadOnlyList<ReceiptLine> Documents, bool IsTest = false)
{
    public const string TestModeNote = "MODO DE PRUEBA · pagado con la Pasarela de prueba, sin dinero real";

    public string PortalName => Brand.Name;
    public string CompanyName => Brand.CompanyName;
    public string CompanyRut => Brand.CompanyRut;

    /// <summary>What a person reads out on the phone to the business: "P-000123" (the payment's number).</summary>
    public string Reference => FormatReference(Number);

    public static string FormatReference(long paymentId) => $"P-{paymentId:D6}";

    public string PdfFileName => $"comprobante-{Reference}.pdf";
}

/// <summary>The comprobante de pago as a PDF in the business's brand (see <see cref="BrandedPdf"/>).</summary>
public static class ReceiptPdf
{
    public static byte[] Render(ReceiptData r, byte[]? logo)
    {
        using var pdf = BrandedPdf.Start($"Comprobante de pago {r.Reference}", r.Brand, logo, r.IsTest ? ReceiptData.TestModeNote : null);
        pdf.Row("Cliente", $"{r.CustomerName} · RUT {Rut.Format(r.CustomerRut)}");
        pdf.Row("Fecha", ChileFormats.DateTime(r.PaidAtUtc));
        pdf.Row("Medio de pago", r.Method.Name());
        pdf.Row("Referencia de la pasarela", r.GatewayReference ?? "—");
        pdf.Row("Monto pagado", ChileFormats.Clp(r.Amount));
        pdf.Heading("Documentos pagados");
        pdf.TableRow(true, ("Documento", BrandedPdf.Left), ("Abono", -400), ("Saldo", -BrandedPdf.Right));
        foreach (var d in r.Documents)
        {
            pdf.TableRow(false, ($"{d.Type.ShortName()} N° {d.Folio}", BrandedPdf.Left), (ChileFormats.Clp(d.Applied), -400),
                (d.BalanceAfter == 0 ? "Pagado" : ChileFormats.Clp(d.BalanceAfter), -BrandedPdf.Right));
        }
        if (r.CreditAmount > 0)
        {
            pdf.Y += 10;
            pdf.Paragraph($"Saldo a favor del cliente: {ChileFormats.Clp(r.CreditAmount)} (será reembolsado)", bold: true);
        }
        return pdf.Finish();
    }
}
