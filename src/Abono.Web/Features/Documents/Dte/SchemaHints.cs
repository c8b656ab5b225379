using System.Xml.Schema;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>What a simple type of the SII's schema accepts, said in Spanish from its facets.</summary>
internal static class SchemaHints
{
    public static string Describe(XmlSchemaType? type)
    {
        if (type is not XmlSchemaSimpleType simple || simple.Datatype is null)
        {
            return "";
        }
        var facets = new List<XmlSchemaFacet>();
        for (XmlSchemaType? t = simple; t is XmlSchemaSimpleType s && s.Content is XmlSchemaSimpleTypeRestriction r; t = t.BaseXmlSchemaType)
        {
            facets.AddRange(r.Facets.OfType<XmlSchemaFacet>());
        }
        var enumeration = facets.OfType<XmlSchemaEnumerationFacet>().Select(f => f.Value).Distinct().ToList();
        if (enumeration.Count > 0)
        {
            return $"; debe ser uno de: {string.Join(", ", enumeration.Take(12))}{(enumeration.Count > 12 ? ", …" : "")}";
        }
        if (facets.OfType<XmlSchemaPatternFacet>().Any(p => p.Value == "[0-9]+-([0-9]|K)"))
        {
            return "; debe ser un RUT como 12345678-K (sin puntos, con guion y K mayúscula)";
        }
        var first = (Func<IEnumerable<XmlSchemaFacet>, string?>)(list => list.FirstOrDefault()?.Value);
        var min = first(facets.OfType<XmlSchemaMinInclusiveFacet>());
        var max = first(facets.OfType<XmlSchemaMaxInclusiveFacet>());
        var range = min is not null && max is not null ? $" entre {min} y {max}" : "";
        switch (simple.Datatype.TypeCode)
        {
            case XmlTypeCode.Date:
                return $"; debe ser una fecha AAAA-MM-DD{range}";
            case XmlTypeCode.DateTime:
                return $"; debe ser una fecha y hora AAAA-MM-DDTHH:MM:SS{range}";
            case XmlTypeCode.Integer or XmlTypeCode.NonNegativeInteger or XmlTypeCode.PositiveInteger or XmlTypeCode.Long
                or XmlTypeCode.Int or XmlTypeCode.UnsignedLong or XmlTypeCode.UnsignedInt:
                var digits = first(facets.OfType<XmlSchemaTotalDigitsFacet>());
                var sign = simple.Datatype.TypeCode == XmlTypeCode.PositiveInteger ? " mayor que cero" : "";
                return $"; debe ser un número entero{sign}{(digits is null ? "" : $" de hasta {digits} dígitos")}{range}";
            case XmlTypeCode.Decimal:
                var fraction = first(facets.OfType<XmlSchemaFractionDigitsFacet>());
                return $"; debe ser un número{(fraction is null ? "" : $" con hasta {fraction} decimales (punto decimal)")}{range}";
            case XmlTypeCode.Base64Binary:
                return "; debe estar en Base64";
        }
        var maxLength = first(facets.OfType<XmlSchemaMaxLengthFacet>());
        var minLength = first(facets.OfType<XmlSchemaMinLengthFacet>());
        return (minLength, maxLength) switch
        {
            (not null and not "0", not null) => $"; debe tener entre {minLength} y {maxLength} caracteres",
            (_, not null) => $"; debe tener hasta {maxLength} caracteres",
            (not null and not "0", null) => $"; debe tener al menos {minLength} caracteres",
            _ => "",
        };
    }
}
