using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>Where a DTE's original is in its file.</summary>
internal sealed record DteOriginal(ReadOnlyMemory<byte> Bytes, int ByteOffset, string Text, string? TedText, string EncodingName);

/// <summary>Reads one &lt;DTE&gt; element into a <see cref="DteDocument"/>, recording what is missing or malformed.</summary>
internal static partial class DteDocumentParser
{
    // Documento for the usual DTEs; the SII's schema also allows Liquidacion (43) and Exportaciones (110-112).
    private static readonly string[] DocumentElements = ["Documento", "Liquidacion", "Exportaciones"];

    [GeneratedRegex(@"\+?[\d(][\d\s().-]{6,18}\d", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneCandidate();

    [GeneratedRegex(@"[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailCandidate();

    public static XElement? DocumentElement(XElement dte) => dte.Elements().FirstOrDefault(e => DocumentElements.Any(n => e.IsSii(n)));

    public static DteDocument Parse(XElement dte, int index, DteOriginal? original)
    {
        var issues = new List<DteIssue>();
        var documento = DocumentElement(dte);
        var encabezado = documento.Child("Encabezado");
        var idDoc = encabezado.Child("IdDoc");

        // The label comes first: every message names the document ("Factura 1234: ...").
        var tipoText = idDoc.Text("TipoDTE");
        var folioText = idDoc.Text("Folio");
        int? tipoGuess = int.TryParse(tipoText, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
        long? folioGuess = long.TryParse(folioText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var f) ? f : null;
        var fields = new DteFieldReader(DteTypeNames.Label(tipoGuess, folioGuess, index), dte, issues);

        if (documento is null)
        {
            fields.Missing(dte, "Documento", "el contenido del documento");
        }
        else if (encabezado is null)
        {
            fields.Missing(documento, "Encabezado", "el encabezado");
        }
        else if (idDoc is null)
        {
            fields.Missing(encabezado, "IdDoc", "la identificación del documento");
        }

        var tipo = fields.Integer(idDoc, "TipoDTE", "el tipo de documento", required: idDoc is not null, min: 1);
        var folio = ReadFolio(fields, idDoc);
        var emisor = ReadEmisor(fields, encabezado);
        var receptor = ReadReceptor(fields, encabezado, tipo);
        var totales = ReadTotals(fields, encabezado);

        var document = new DteDocument
        {
            Index = index,
            TipoDte = tipo,
            Folio = folio,
            FchEmis = fields.Date(idDoc, "FchEmis", "la fecha de emisión", required: idDoc is not null),
            FmaPago = (DtePaymentForm?)fields.Integer(idDoc, "FmaPago", "la forma de pago", min: 1, max: 3),
            FchVenc = fields.Date(idDoc, "FchVenc", "la fecha de vencimiento"),
            MntPagos = idDoc.Children("MntPagos").Select(p => new DteScheduledPayment(
                fields.Date(p, "FchPago", "la fecha del pago programado", required: true),
                fields.Amount(p, "MntPago", "el monto del pago programado", required: true),
                p.Text("GlosaPagos"))).ToList(),
            TermPagoDias = fields.Integer(idDoc, "TermPagoDias", "el plazo de pago en días", min: 0),
            TermPagoGlosa = idDoc.Text("TermPagoGlosa"),
            Emisor = emisor,
            Receptor = receptor,
            Totales = totales,
            Detalle = documento.Children("Detalle").Select(d => ReadLine(fields, d)).ToList(),
            Referencias = documento.Children("Referencia").Select(r => ReadReference(fields, r)).ToList(),
            DocumentoId = documento?.Attribute("ID")?.Value,
            TmstFirma = fields.Timestamp(documento, "TmstFirma", "la fecha de firma"),
            TedXml = documento.Child("TED") is { } ted ? original?.TedText ?? ted.ToString(SaveOptions.DisableFormatting) : null,
            OriginalXml = original?.Bytes ?? ReadOnlyMemory<byte>.Empty,
            ByteOffset = original?.ByteOffset ?? 0,
            OriginalText = original?.Text ?? "",
            SourceEncoding = original?.EncodingName ?? "",
        };
        if (documento is not null && !documento.Children("Detalle").Any())
        {
            fields.Missing(documento, "Detalle", "el detalle (al menos una línea)");
        }
        document.AddRange(issues);
        DteDocumentChecks.Run(document, fields.AllAmountsRead);
        return document;
    }

    private static long? ReadFolio(DteFieldReader fields, XElement? idDoc)
    {
        var text = fields.Text(idDoc, "Folio", "el folio", required: idDoc is not null);
        if (text is null)
        {
            return null;
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var folio) && folio > 0)
        {
            return folio;
        }
        fields.Invalid(idDoc, "Folio", $"{fields.Label}: el folio (Folio) «{text}» debe ser un número entero positivo.", DteIssueCodes.InvalidFolio);
        return null;
    }

    private static DteEmisor ReadEmisor(DteFieldReader fields, XElement? encabezado)
    {
        var emisor = encabezado.Child("Emisor");
        if (encabezado is not null && emisor is null)
        {
            fields.Missing(encabezado, "Emisor", "el emisor");
        }
        var (rutText, rut) = fields.Rut(emisor, "RUTEmisor", "el RUT del emisor", required: emisor is not null);
        // Boletas name these RznSocEmisor and GiroEmisor.
        var razon = emisor.Text("RznSoc") ?? emisor.Text("RznSocEmisor");
        if (emisor is not null && razon is null)
        {
            fields.Missing(emisor, "RznSoc", "la razón social del emisor");
        }
        return new DteEmisor(rutText, rut, razon, emisor.Text("GiroEmis") ?? emisor.Text("GiroEmisor"), emisor.Text("CorreoEmisor"));
    }

    private static DteReceptor ReadReceptor(DteFieldReader fields, XElement? encabezado, int? tipo)
    {
        var receptor = encabezado.Child("Receptor");
        if (encabezado is not null && receptor is null)
        {
            fields.Missing(encabezado, "Receptor", "el receptor");
        }
        var (rutText, rut) = fields.Rut(receptor, "RUTRecep", "el RUT del receptor", required: receptor is not null);
        // A boleta to an anonymous consumer (66.666.666-6) has no name.
        var name = fields.Text(receptor, "RznSocRecep", "la razón social del receptor",
            required: receptor is not null && !(tipo is int code && DteTypeNames.IsBoleta(code)));
        var correo = receptor.Text("CorreoRecep");
        var contacto = receptor.Text("Contacto");
        return new DteReceptor(rutText, rut, name, correo, contacto,
            Email: IsEmail(correo) ? correo : FindEmail(contacto),
            Phone: FindPhone(contacto),
            receptor.Text("DirRecep"), receptor.Text("CmnaRecep"), receptor.Text("CiudadRecep"));
    }

    private static DteTotals ReadTotals(DteFieldReader fields, XElement? encabezado)
    {
        var totales = encabezado.Child("Totales");
        if (encabezado is not null && totales is null)
        {
            fields.Missing(encabezado, "Totales", "los totales");
        }
        var taxes = totales.Children("ImptoReten").Select(i =>
        {
            var amount = fields.Amount(i, "MontoImp", "el monto del impuesto adicional", required: true);
            var code = fields.Text(i, "TipoImp", "el código del impuesto adicional", required: true);
            return code is null || amount is null ? null : new DteAdditionalTax(code, fields.Decimal(i, "TasaImp", "la tasa del impuesto adicional"), amount.Value);
        }).OfType<DteAdditionalTax>().ToList();
        return new DteTotals(
            fields.Amount(totales, "MntNeto", "el monto neto"),
            fields.Amount(totales, "MntExe", "el monto exento"),
            fields.Decimal(totales, "TasaIVA", "la tasa de IVA"),
            fields.Amount(totales, "IVA", "el IVA"),
            taxes,
            fields.Amount(totales, "IVANoRet", "el IVA no retenido"),
            fields.Amount(totales, "CredEC", "el crédito de empresas constructoras"),
            fields.Amount(totales, "GrntDep", "la garantía por depósito de envases"),
            fields.Amount(totales, "MntTotal", "el monto total", required: totales is not null));
    }

    private static DteLine ReadLine(DteFieldReader fields, XElement line) => new(
        fields.Integer(line, "NroLinDet", "el número de línea", required: true, min: 1),
        fields.Text(line, "NmbItem", "el nombre del ítem", required: true),
        line.Text("DscItem"),
        fields.Decimal(line, "QtyItem", "la cantidad"),
        line.Text("UnmdItem"),
        fields.Decimal(line, "PrcItem", "el precio unitario"),
        fields.Amount(line, "MontoItem", "el monto de la línea", required: true),
        fields.Integer(line, "IndExe", "el indicador de exención", min: 1, max: 6));

    private static DteReference ReadReference(DteFieldReader fields, XElement reference) => new(
        fields.Integer(reference, "NroLinRef", "el número de línea de la referencia", required: true, min: 1),
        fields.Text(reference, "TpoDocRef", "el tipo del documento referenciado", required: true),
        fields.Text(reference, "FolioRef", "el folio del documento referenciado", required: true),
        fields.Date(reference, "FchRef", "la fecha del documento referenciado"),
        fields.Integer(reference, "CodRef", "el código de referencia", min: 1, max: 3),
        reference.Text("RazonRef"));

    private static bool IsEmail(string? text) =>
        text is not null && System.Net.Mail.MailAddress.TryCreate(text, out var address) && address.Address == text && text.Contains('.');

    private static string? FindEmail(string? contacto) =>
        contacto is null ? null : EmailCandidate().Matches(contacto).Select(m => m.Value.TrimEnd('.', ',', ';')).FirstOrDefault(IsEmail);

    // Contacto is free text ("Juan, +56 9 1234 5678"); take the first run of digits that is a real Chilean phone.
    private static string? FindPhone(string? contacto)
    {
        if (contacto is null)
        {
            return null;
        }
        foreach (Match match in PhoneCandidate().Matches(contacto))
        {
            if (ChileanPhone.TryNormalize(match.Value, out var e164))
            {
                return e164;
            }
        }
        return null;
    }
}
