namespace Abono.Web.Features.Documents.Dte;

/// <summary>The SII's DTE type codes and how messages name them.</summary>
internal static class DteTypeNames
{
    /// <summary>Every TipoDTE the SII defines (DTE_v10.xsd and the boleta schema).</summary>
    public static bool IsSiiType(int code) => Name(code) is not null;

    public static string? Name(int code) => code switch
    {
        33 or 34 or 39 or 41 or 56 or 61 => ((DocumentType)code).ShortName(),
        43 => "Liquidación factura",
        46 => "Factura de compra",
        52 => "Guía de despacho",
        110 => "Factura de exportación",
        111 => "Nota de débito de exportación",
        112 => "Nota de crédito de exportación",
        _ => null,
    };

    /// <summary>The boletas are outside DTE_v10.xsd: the SII validates them with its boleta schema.</summary>
    public static bool IsBoleta(int code) => code is 39 or 41;

    public static string Label(int? tipo, long? folio, int index)
    {
        if (tipo is int code && Name(code) is null)
        {
            return folio is long f ? $"Documento tipo {code}, folio {f}" : $"Documento tipo {code} (sin folio)";
        }
        var name = tipo is int known ? Name(known)! : $"Documento {index}";
        return folio is long number ? $"{name} {number}" : $"{name} (sin folio)";
    }
}
