using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Abono.Tests.Documents.Dte;

/// <summary>
/// Writes DTE, EnvioDTE and AEC files the way invoicing systems export them, following the SII's schemas:
/// indented, in the encoding asked for (declared in the prolog), with or without the SII namespace, signed by
/// <see cref="DteTestSigner"/> or not. Signing inserts the Signature into the text without re-serializing anything,
/// so a test knows the exact bytes of every document.
/// </summary>
public static class DteXmlBuilder
{
    public const string SiiNamespace = "http://www.sii.cl/SiiDte";
    public static readonly Encoding Latin1 = Encoding.Latin1;
    public static readonly Encoding Utf8 = new UTF8Encoding(false);

    /// <summary>The &lt;DTE&gt; element as text (declaring the SII namespace when <paramref name="ns"/>), signed when a signer is given.</summary>
    public static string DteText(TestDte d, bool ns = true, DteTestSigner? signer = null)
    {
        XNamespace n = ns ? SiiNamespace : "";
        var documento = new XElement(n + "Documento", new XAttribute("ID", d.Id),
            new XElement(n + "Encabezado", IdDoc(n, d), Emisor(n, d), Receptor(n, d), Totales(n, d)),
            d.Lines.Select((l, i) => Line(n, d, l, i + 1)),
            d.References.Select((r, i) => Reference(n, r, i + 1)),
            d.Ted ? Ted(n, d) : null,
            new XElement(n + "TmstFirma", "2026-11-02T10:15:00"));
        if (d.Comment is not null)
        {
            documento.AddFirst(new XComment(d.Comment));
        }
        var text = new XElement(n + "DTE", ns ? new XAttribute("xmlns", SiiNamespace) : null, new XAttribute("version", "1.0"), documento).ToString();
        return signer is null ? text : signer.Sign(text, d.Id);
    }

    public static byte[] Dte(TestDte d, Encoding? encoding = null, bool ns = true, DteTestSigner? signer = null) =>
        File(DteText(d, ns, signer), encoding ?? Latin1);

    /// <summary>
    /// An EnvioDTE whose DTEs were each signed alone (as the SII's flow does) and then enveloped. With
    /// <paramref name="inheritNamespace"/> the DTEs drop their own xmlns and inherit the envelope's.
    /// </summary>
    public static string EnvioText(IReadOnlyList<TestDte> documents, bool ns = true, DteTestSigner? signer = null, bool signEnvelope = false,
        bool inheritNamespace = false, bool comments = false)
    {
        var dtes = documents.Select((d, i) =>
        {
            var text = DteText(d, ns, signer);
            text = inheritNamespace ? text.Replace($"<DTE xmlns=\"{SiiNamespace}\"", "<DTE") : text;
            return comments ? $"<!-- documento {i + 1}: <DTE> de prueba -->\n{text}" : text;
        });
        var xmlns = ns ? $" xmlns=\"{SiiNamespace}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{SiiNamespace} EnvioDTE_v10.xsd\"" : "";
        var subtotals = string.Concat(documents.GroupBy(d => d.Tipo).Select(g => $"\n      <SubTotDTE>\n        <TpoDTE>{g.Key}</TpoDTE>\n        <NroDTE>{g.Count()}</NroDTE>\n      </SubTotDTE>"));
        var root = documents.All(d => d.Tipo is 39 or 41) ? "EnvioBOLETA" : "EnvioDTE";
        var text = $"""
            <{root}{xmlns} version="1.0">
              <SetDTE ID="SetDoc">
                <Caratula version="1.0">
                  <RutEmisor>{documents[0].RutEmisor}</RutEmisor>
                  <RutEnvia>12345678-5</RutEnvia>
                  <RutReceptor>60803000-K</RutReceptor>
                  <FchResol>2014-08-22</FchResol>
                  <NroResol>80</NroResol>
                  <TmstFirmaEnv>2026-11-02T10:20:00</TmstFirmaEnv>{subtotals}
                </Caratula>
            {string.Join("\n", dtes)}
              </SetDTE>
            </{root}>
            """;
        return signEnvelope && signer is not null ? signer.Sign(text, "SetDoc") : text;
    }

    public static byte[] Envio(IReadOnlyList<TestDte> documents, Encoding? encoding = null, bool ns = true, DteTestSigner? signer = null,
        bool signEnvelope = false, bool inheritNamespace = false, bool comments = false) =>
        File(EnvioText(documents, ns, signer, signEnvelope, inheritNamespace, comments), encoding ?? Latin1);

    /// <summary>An AEC: the ceded DTE (signed), then each cesión (signed by the signer, as cedente).</summary>
    public static byte[] Aec(TestDte ceded, IReadOnlyList<TestCesion> cesiones, DteTestSigner signer, Encoding? encoding = null, bool ns = true)
    {
        var xmlns = ns ? $" xmlns=\"{SiiNamespace}\"" : "";
        var dte = DteText(ceded, ns, signer);
        var dteCedido = signer.Sign($"""
            <DTECedido{xmlns} version="1.0"><DocumentoDTECedido ID="DTECedido1">
            {dte}
            <TmstFirma>2026-11-05T09:00:00</TmstFirma></DocumentoDTECedido></DTECedido>
            """, "DTECedido1");
        var cesionTexts = cesiones.Select(c => signer.Sign($"""
            <Cesion{xmlns} version="1.0">
              <DocumentoCesion ID="Cesion{c.Seq}">
                <SeqCesion>{c.Seq}</SeqCesion>
                <IdDTE>
                  <TipoDTE>{ceded.Tipo}</TipoDTE>
                  <RUTEmisor>{ceded.RutEmisor}</RUTEmisor>
                  <RUTReceptor>{ceded.RutRecep}</RUTReceptor>
                  <Folio>{c.FolioOverride ?? ceded.Folio}</Folio>
                  <FchEmis>{Date(ceded.FchEmis)}</FchEmis>
                  <MntTotal>{ceded.Total}</MntTotal>
                </IdDTE>
                <Cedente>
                  <RUT>{c.CedenteRut}</RUT>
                  <RazonSocial>{Escape(c.CedenteNombre)}</RazonSocial>
                  <Direccion>Av. Providencia 1234, Santiago</Direccion>
                  <eMail>cesiones@cedente.cl</eMail>
                  <RUTAutorizado>
                    <RUT>12345678-5</RUT>
                    <Nombre>Juan Pérez</Nombre>
                  </RUTAutorizado>
                </Cedente>
                <Cesionario>
                  <RUT>{c.CesionarioRut}</RUT>
                  <RazonSocial>{Escape(c.CesionarioNombre)}</RazonSocial>
                  <Direccion>Av. Apoquindo 4500, Las Condes</Direccion>
                  <eMail>operaciones@factoring.cl</eMail>
                </Cesionario>
                <MontoCesion>{c.Monto}</MontoCesion>
                <UltimoVencimiento>{Date(c.UltimoVencimiento)}</UltimoVencimiento>
                <TmstCesion>{c.TmstCesion:yyyy-MM-ddTHH:mm:ss}</TmstCesion>
              </DocumentoCesion>
            </Cesion>
            """, $"Cesion{c.Seq}"));
        var aec = signer.Sign($"""
            <AEC{xmlns} version="1.0">
            <DocumentoAEC ID="AEC1">
            <Caratula version="1.0">
              <RutCedente>{cesiones[^1].CedenteRut}</RutCedente>
              <RutCesionario>{cesiones[^1].CesionarioRut}</RutCesionario>
              <MailContacto>cesiones@cedente.cl</MailContacto>
              <TmstFirmaEnvio>2026-11-05T09:45:00</TmstFirmaEnvio>
            </Caratula>
            <Cesiones>
            {dteCedido}
            {string.Join("\n", cesionTexts)}
            </Cesiones>
            </DocumentoAEC>
            </AEC>
            """, "AEC1");
        return File(aec, encoding ?? Latin1);
    }

    /// <summary>The file: an XML declaration naming the encoding, then the text in that encoding.</summary>
    public static byte[] File(string xml, Encoding encoding)
    {
        var name = encoding.CodePage switch { 28591 => "ISO-8859-1", 65001 => "UTF-8", _ => encoding.WebName };
        return encoding.GetBytes($"<?xml version=\"1.0\" encoding=\"{name}\"?>\n{xml}\n");
    }

    private static XElement IdDoc(XNamespace n, TestDte d) => new(n + "IdDoc",
        new XElement(n + "TipoDTE", d.Tipo),
        new XElement(n + "Folio", d.Folio),
        new XElement(n + "FchEmis", Date(d.FchEmis)),
        d.FmaPago is int f ? new XElement(n + "FmaPago", f) : null,
        d.Pagos.Select(p => new XElement(n + "MntPagos", new XElement(n + "FchPago", Date(p.Date)), new XElement(n + "MntPago", p.Amount))),
        d.TermPagoDias is int days ? new XElement(n + "TermPagoDias", days) : null,
        d.FchVenc is DateOnly v ? new XElement(n + "FchVenc", Date(v)) : null);

    private static XElement Emisor(XNamespace n, TestDte d) => new(n + "Emisor",
        new XElement(n + "RUTEmisor", d.RutEmisor),
        new XElement(n + "RznSoc", d.RznSoc),
        new XElement(n + "GiroEmis", d.GiroEmis),
        new XElement(n + "Acteco", 463020),
        new XElement(n + "DirOrigen", "Av. Matta 1520"),
        new XElement(n + "CmnaOrigen", "Santiago"),
        new XElement(n + "CiudadOrigen", "Santiago"));

    private static XElement Receptor(XNamespace n, TestDte d) => new(n + "Receptor",
        new XElement(n + "RUTRecep", d.RutRecep),
        new XElement(n + "RznSocRecep", d.RznSocRecep),
        new XElement(n + "GiroRecep", "Almacén de barrio"),
        d.Contacto is null ? null : new XElement(n + "Contacto", d.Contacto),
        d.CorreoRecep is null ? null : new XElement(n + "CorreoRecep", d.CorreoRecep),
        new XElement(n + "DirRecep", "Los Aromos 455"),
        new XElement(n + "CmnaRecep", "Ñuñoa"),
        new XElement(n + "CiudadRecep", "Santiago"));

    private static XElement Totales(XNamespace n, TestDte d) => new(n + "Totales",
        d.HasTaxable || d.MntNetoOverride is not null ? new XElement(n + "MntNeto", d.Neto) : null,
        d.Exento > 0 ? new XElement(n + "MntExe", d.Exento) : null,
        d.HasTaxable ? new XElement(n + "TasaIVA", "19") : null,
        d.HasTaxable || d.IvaOverride is not null ? new XElement(n + "IVA", d.Iva) : null,
        new XElement(n + "MntTotal", d.Total));

    private static XElement Line(XNamespace n, TestDte d, TestLine line, int number) => new(n + "Detalle",
        new XElement(n + "NroLinDet", number),
        line.Exempt && !d.AllExempt ? new XElement(n + "IndExe", 1) : null,
        new XElement(n + "NmbItem", line.Name),
        new XElement(n + "QtyItem", line.Qty.ToString(CultureInfo.InvariantCulture)),
        new XElement(n + "PrcItem", line.Price),
        new XElement(n + "MontoItem", line.Amount));

    private static XElement Reference(XNamespace n, TestReference r, int number) => new(n + "Referencia",
        new XElement(n + "NroLinRef", number),
        new XElement(n + "TpoDocRef", r.TpoDocRef),
        new XElement(n + "FolioRef", r.FolioRef),
        new XElement(n + "FchRef", Date(r.FchRef)),
        r.CodRef is int code ? new XElement(n + "CodRef", code) : null,
        r.RazonRef is null ? null : new XElement(n + "RazonRef", r.RazonRef));

    // The timbre: its DD repeats the document's key facts; the CAF and signatures are placeholders in Base64.
    private static XElement Ted(XNamespace n, TestDte d) => new(n + "TED", new XAttribute("version", "1.0"),
        new XElement(n + "DD",
            new XElement(n + "RE", d.RutEmisor),
            new XElement(n + "TD", d.Tipo),
            new XElement(n + "F", d.Folio),
            new XElement(n + "FE", Date(d.FchEmis)),
            new XElement(n + "RR", d.RutRecep),
            new XElement(n + "RSR", Cut(d.RznSocRecep, 40)),
            new XElement(n + "MNT", d.Total),
            new XElement(n + "IT1", Cut(d.Lines.FirstOrDefault()?.Name ?? "-", 40)),
            new XElement(n + "CAF", new XAttribute("version", "1.0"),
                new XElement(n + "DA",
                    new XElement(n + "RE", d.RutEmisor),
                    new XElement(n + "RS", Cut(d.RznSoc, 40)),
                    new XElement(n + "TD", d.Tipo),
                    new XElement(n + "RNG", new XElement(n + "D", 1), new XElement(n + "H", 999999)),
                    new XElement(n + "FA", "2026-01-05"),
                    new XElement(n + "RSAPK", new XElement(n + "M", Placeholder(64, 7)), new XElement(n + "E", "Aw==")),
                    new XElement(n + "IDK", 100)),
                new XElement(n + "FRMA", new XAttribute("algoritmo", "SHA1withRSA"), Placeholder(64, 11))),
            new XElement(n + "TSTED", "2026-11-02T10:15:00")),
        new XElement(n + "FRMT", new XAttribute("algoritmo", "SHA1withRSA"), Placeholder(64, 13)));

    private static string Placeholder(int length, int step) => Convert.ToBase64String(Enumerable.Range(0, length).Select(i => (byte)(i * step)).ToArray());

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
