namespace Abono.Web.Features.Documents;

/// <summary>SII document codes.</summary>
public enum DocumentType
{
    Factura = 33,
    FacturaExenta = 34,
    Boleta = 39,
    BoletaExenta = 41,
    NotaDebito = 56,
    NotaCredito = 61,
}

public static class DocumentTypes
{
    public static readonly DocumentType[] All = Enum.GetValues<DocumentType>();

    /// <summary>
    /// The document's full name, as the SII names it: titles, the issue form, flashes, PDFs and the API. Every screen
    /// takes it from here (and <see cref="ShortName"/> for "Factura N° 12" in lists and references).
    /// </summary>
    public static string Name(this DocumentType type) => type switch
    {
        DocumentType.Factura => "Factura electrónica",
        DocumentType.FacturaExenta => "Factura exenta electrónica",
        DocumentType.Boleta => "Boleta electrónica",
        DocumentType.BoletaExenta => "Boleta exenta electrónica",
        DocumentType.NotaDebito => "Nota de débito electrónica",
        DocumentType.NotaCredito => "Nota de crédito electrónica",
        _ => type.ToString(),
    };

    /// <summary>The compact name for lists, emails and references: "Factura", "Nota de crédito".</summary>
    public static string ShortName(this DocumentType type) => type switch
    {
        DocumentType.Factura => "Factura",
        DocumentType.FacturaExenta => "Factura exenta",
        DocumentType.Boleta => "Boleta",
        DocumentType.BoletaExenta => "Boleta exenta",
        DocumentType.NotaDebito => "Nota de débito",
        DocumentType.NotaCredito => "Nota de crédito",
        _ => type.ToString(),
    };

    /// <summary>Facturas take a nota de crédito from their detail (Emitir nota de crédito), prefilled from their lines.</summary>
    public static bool IsFactura(this DocumentType type) => type is DocumentType.Factura or DocumentType.FacturaExenta;

    public static bool IsNote(this DocumentType type) => type is DocumentType.NotaCredito or DocumentType.NotaDebito;

    /// <summary>Every line of an exempt document is exempt.</summary>
    public static bool IsExempt(this DocumentType type) => type is DocumentType.FacturaExenta or DocumentType.BoletaExenta;

    /// <summary>Boletas are priced to the consumer with IVA included.</summary>
    public static bool PricesIncludeTax(this DocumentType type) => type is DocumentType.Boleta;

    public static bool IsDefined(int code) => Enum.IsDefined(typeof(DocumentType), code);
}
