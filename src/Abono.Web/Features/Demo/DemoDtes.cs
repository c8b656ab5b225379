using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Abono.Web.Features.Customers;

namespace Abono.Web.Features.Demo;

/// <summary>
/// A few DTEs as the demo company's invoicing system would export them (one EnvioDTE, ISO-8859-1, with timbre), so a
/// newcomer sees imported facturas, a nota de crédito applied to one of them and, once ceded, a factura the portal
/// will not collect. Folios from 5001 keep clear of the documents the demo issues in Abono itself.
/// </summary>
public static class DemoDtes
{
    private static readonly XNamespace Sii = "http://www.sii.cl/SiiDte";
    public const long FirstFolio = 5001;
    public const long CreditNoteFolio = 3001;

    public sealed record Line(string Name, int Quantity, long Price);

    public static byte[] Envio(string companyRut, string companyName, IReadOnlyList<Customer> customers, DateOnly today)
    {
        var facturas = new[]
        {
            (Folio: FirstFolio, Customer: customers[0], Issued: today.AddDays(-20), Due: today.AddDays(10), Lines: new[] { new Line("Resmas de papel carta (caja)", 12, 24_990) }),
            (Folio: FirstFolio + 1, Customer: customers[1], Issued: today.AddDays(-45), Due: today.AddDays(-15), Lines: new[] { new Line("Silla de oficina", 4, 89_990), new Line("Servicio de instalación", 1, 35_000) }),
            (Folio: FirstFolio + 2, Customer: customers[2], Issued: today.AddDays(-5), Due: today.AddDays(25), Lines: new[] { new Line("Escritorio melamina", 3, 129_990) }),
        };
        var dtes = facturas.Select(f => Dte(33, f.Folio, companyRut, companyName, f.Customer, f.Issued, f.Due, f.Lines, null)).ToList();
        // A nota de crédito for part of the second factura (CodRef 3: corrige montos).
        var noted = facturas[1];
        dtes.Add(Dte(61, CreditNoteFolio, companyRut, companyName, noted.Customer, today.AddDays(-2), null, [new Line("Descuento por silla con detalle", 1, 45_000)],
            (33, noted.Folio, noted.Issued, 3, "Descuento por producto con detalle")));
        var envio = new XElement(Sii + "EnvioDTE", new XAttribute("version", "1.0"),
            new XElement(Sii + "SetDTE", new XAttribute("ID", "SetDemo"),
                new XElement(Sii + "Caratula", new XAttribute("version", "1.0"),
                    new XElement(Sii + "RutEmisor", companyRut), new XElement(Sii + "RutEnvia", "12345678-5"), new XElement(Sii + "RutReceptor", "60803000-K"),
                    new XElement(Sii + "FchResol", "2014-08-22"), new XElement(Sii + "NroResol", 80), new XElement(Sii + "TmstFirmaEnv", Timestamp(today))),
                dtes));
        var text = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" + envio.ToString();
        return Encoding.Latin1.GetBytes(text);
    }

    private static XElement Dte(int type, long folio, string companyRut, string companyName, Customer customer, DateOnly issued, DateOnly? due,
        IReadOnlyList<Line> lines, (int Type, long Folio, DateOnly Date, int CodRef, string Reason)? reference)
    {
        var net = lines.Sum(l => l.Quantity * l.Price);
        var iva = (long)Math.Round(net * 0.19m, MidpointRounding.AwayFromZero);
        var id = $"F{folio}T{type}";
        return new XElement(Sii + "DTE", new XAttribute("version", "1.0"),
            new XElement(Sii + "Documento", new XAttribute("ID", id),
                new XElement(Sii + "Encabezado",
                    new XElement(Sii + "IdDoc", new XElement(Sii + "TipoDTE", type), new XElement(Sii + "Folio", folio), new XElement(Sii + "FchEmis", Date(issued)),
                        type == 33 ? new XElement(Sii + "FmaPago", 2) : null, due is { } d ? new XElement(Sii + "FchVenc", Date(d)) : null),
                    new XElement(Sii + "Emisor", new XElement(Sii + "RUTEmisor", companyRut), new XElement(Sii + "RznSoc", companyName),
                        new XElement(Sii + "GiroEmis", "Comercio al por mayor de artículos de oficina"), new XElement(Sii + "Acteco", 464903),
                        new XElement(Sii + "DirOrigen", "Av. Matta 1520"), new XElement(Sii + "CmnaOrigen", "Santiago")),
                    new XElement(Sii + "Receptor", new XElement(Sii + "RUTRecep", customer.Rut), new XElement(Sii + "RznSocRecep", customer.Name),
                        new XElement(Sii + "GiroRecep", "Comercio"), customer.Email is { } email ? new XElement(Sii + "CorreoRecep", email) : null,
                        new XElement(Sii + "DirRecep", customer.Address ?? "Santiago"), new XElement(Sii + "CmnaRecep", "Santiago")),
                    new XElement(Sii + "Totales", new XElement(Sii + "MntNeto", net), new XElement(Sii + "TasaIVA", "19"), new XElement(Sii + "IVA", iva),
                        new XElement(Sii + "MntTotal", net + iva))),
                lines.Select((l, i) => new XElement(Sii + "Detalle", new XElement(Sii + "NroLinDet", i + 1), new XElement(Sii + "NmbItem", l.Name),
                    new XElement(Sii + "QtyItem", l.Quantity.ToString(CultureInfo.InvariantCulture)), new XElement(Sii + "PrcItem", l.Price),
                    new XElement(Sii + "MontoItem", l.Quantity * l.Price))),
                reference is { } r
                    ? new XElement(Sii + "Referencia", new XElement(Sii + "NroLinRef", 1), new XElement(Sii + "TpoDocRef", r.Type), new XElement(Sii + "FolioRef", r.Folio),
                        new XElement(Sii + "FchRef", Date(r.Date)), new XElement(Sii + "CodRef", r.CodRef), new XElement(Sii + "RazonRef", r.Reason))
                    : null,
                Ted(type, folio, companyRut, companyName, customer, issued, net + iva, lines[0].Name),
                new XElement(Sii + "TmstFirma", Timestamp(issued))));
    }

    /// <summary>The timbre's facts; the CAF's key and the signatures are placeholders (demo data is not stamped by the SII).</summary>
    private static XElement Ted(int type, long folio, string companyRut, string companyName, Customer customer, DateOnly issued, long total, string firstItem) =>
        new(Sii + "TED", new XAttribute("version", "1.0"),
            new XElement(Sii + "DD",
                new XElement(Sii + "RE", companyRut), new XElement(Sii + "TD", type), new XElement(Sii + "F", folio), new XElement(Sii + "FE", Date(issued)),
                new XElement(Sii + "RR", customer.Rut), new XElement(Sii + "RSR", Cut(customer.Name, 40)), new XElement(Sii + "MNT", total),
                new XElement(Sii + "IT1", Cut(firstItem, 40)),
                new XElement(Sii + "CAF", new XAttribute("version", "1.0"),
                    new XElement(Sii + "DA", new XElement(Sii + "RE", companyRut), new XElement(Sii + "RS", Cut(companyName, 40)), new XElement(Sii + "TD", type),
                        new XElement(Sii + "RNG", new XElement(Sii + "D", 1), new XElement(Sii + "H", 9999)), new XElement(Sii + "FA", "2026-01-05"),
                        new XElement(Sii + "RSAPK", new XElement(Sii + "M", Placeholder(64)), new XElement(Sii + "E", "Aw==")), new XElement(Sii + "IDK", 100)),
                    new XElement(Sii + "FRMA", new XAttribute("algoritmo", "SHA1withRSA"), Placeholder(64))),
                new XElement(Sii + "TSTED", Timestamp(issued))),
            new XElement(Sii + "FRMT", new XAttribute("algoritmo", "SHA1withRSA"), Placeholder(64)));

    private static string Placeholder(int length) => Convert.ToBase64String(Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray());

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Timestamp(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T10:15:00";

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
