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

    public static string Name(this DocumentType type) => type switch
    {
        DocumentType.Factura => "Factura electrónica",
        DocumentType.FacturaExenta => "Factura exenta",
        DocumentType.Boleta => "Boleta electrónica",
        DocumentType.BoletaExenta => "Boleta exenta",
        DocumentType.NotaDebito => "Nota de débito",
        DocumentType.NotaCredito => "Nota de crédito",
        _ => type.ToString(),
    };

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

    public static bool IsNote(this DocumentType type) => type is DocumentType.NotaCredito or DocumentType.NotaDebito;

    /// <summary>Every line of an exempt document is exempt.</summary>
    public static bool IsExempt(this DocumentType type) => type is DocumentType.FacturaExenta or DocumentType.BoletaExenta;

    /// <summary>Boletas are priced to the consumer with IVA included.</summary>
    public static bool PricesIncludeTax(this DocumentType type) => type is DocumentType.Boleta;

    public static bool IsDefined(int code) => Enum.IsDefined(typeof(DocumentType), code);
}
