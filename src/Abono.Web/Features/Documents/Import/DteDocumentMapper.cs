using System.Globalization;
using System.Security.Cryptography;
using Abono.Web.Features.Documents.Dte;
using Abono.Web.Platform.Chile;
using DocumentSignature = Abono.Web.Features.Documents.DteSignatureState;

namespace Abono.Web.Features.Documents.Import;

/// <summary>A document read from a file, ready to be written: the rows, or why it cannot be.</summary>
internal sealed class DteCandidate
{
    public required DteDocumentReport Report { get; init; }
    public required DteDocument Dte { get; init; }
    public Document? Document { get; init; }
    public DocumentXml? Xml { get; init; }
    public List<DocumentReference> References { get; init; } = [];
    public DteReceptorFacts? Receptor { get; init; }

    /// <summary>Set for the DTE inside an AEC: an existing document is simply the one ceded, whatever its bytes.</summary>
    public bool FromAec { get; init; }

    public DocumentType Type => Document!.Type;
    public long Folio => Document!.Folio;
}

/// <summary>Who the document was issued to, as the customer to create or match.</summary>
internal sealed record DteReceptorFacts(string Rut, string Name, string? Email, string? Phone, string? Address);

/// <summary>
/// Turns one <see cref="DteDocument"/> into the rows Abono keeps (Document with its lines and forma de pago,
/// DocumentXml, DocumentReference), or refuses it with the reasons in Spanish. Pure: no database.
/// </summary>
internal static class DteDocumentMapper
{
    /// <summary>The RUT the SII uses for a boleta to an anonymous buyer: no customer to collect from.</summary>
    private const string ConsumidorFinal = "66666666-6";

    public static DteCandidate Map(DteFileResult file, DteDocument dte, Rut company, string fileName, DateTime now, bool fromAec = false)
    {
        var report = new DteDocumentReport { Label = dte.Label };
        report.Warnings.AddRange(dte.Warnings.Select(w => w.Message));
        if (dte.Signature.State == Dte.DteSignatureState.Unsigned)
        {
            report.Warnings.Add($"{dte.Label}: sin firma.");
        }
        var refused = new DteCandidate { Report = report, Dte = dte, FromAec = fromAec };
        if (dte.CheckIssuedBy(company) is { } foreign)
        {
            return Refuse(refused, foreign.Message);
        }
        if (dte.HasErrors)
        {
            report.Errors.AddRange(dte.Errors.Select(e => e.Message));
            return Refuse(refused, null);
        }
        if (dte.DocumentType is not DocumentType type)
        {
            return Refuse(refused, $"{dte.Label}: Abono todavía no cobra este tipo de documento, así que no se importó.");
        }
        if (dte.Folio is not long folio || folio <= 0 || dte.FchEmis is not DateOnly issued || dte.Totales.MntTotal is not long total)
        {
            return Refuse(refused, $"{dte.Label}: le falta el folio, la fecha de emisión o el total.");
        }
        if (!IssueLimits.IsPlausible(issued))
        {
            return Refuse(refused, $"{dte.Label}: {IssueLimits.DateRangeMessage("emisión")}");
        }
        if (total < 0)
        {
            return Refuse(refused, $"{dte.Label}: el total no puede ser negativo.");
        }

        var due = dte.DueDate?.Date ?? issued;
        if (due < issued || !IssueLimits.IsPlausible(due))
        {
            due = issued;
        }

        var receptor = Receptor(dte);
        // Without FmaPago a factura is taken as crédito: the Ley 19.983 term applies to it; a boleta is paid at sale.
        var credit = !type.IsNote() && dte.FmaPago switch
        {
            DtePaymentForm.Credito => true,
            null => type is not (DocumentType.Boleta or DocumentType.BoletaExenta),
            _ => false,
        };
        if (!type.IsNote() && dte.FmaPago is null)
        {
            report.Warnings.Add(credit
                ? $"{dte.Label}: no indica forma de pago (FmaPago); se registró a crédito."
                : $"{dte.Label}: no indica forma de pago (FmaPago); se registró como pagada al contado.");
        }
        if (credit && total > 0 && receptor is null)
        {
            return Refuse(refused, $"{dte.Label}: es a crédito pero no indica un RUT de receptor válido, así que no hay a quién cobrarle.");
        }

        var net = dte.Totales.MntNeto ?? 0;
        var exempt = dte.Totales.MntExe ?? 0;
        // Additional taxes and retentions (ImptoReten) have no column of their own: they travel with the IVA, so that
        // neto + exento + impuestos is still the total everywhere a document is shown.
        var tax = total - net - exempt;
        var document = new Document
        {
            Type = type,
            Folio = folio,
            IssueDate = issued,
            DueDate = due,
            Net = net,
            Exempt = exempt,
            Tax = tax,
            Total = total,
            Balance = credit ? total : 0,
            Origin = DocumentOrigin.DteXml,
            CreatedAt = now,
            Lines = Lines(dte, type),
            Payments = credit && total > 0 ? [new DocumentPayment { Form = PaymentForm.Credito, Amount = total }] : [],
        };
        var content = dte.OriginalXml.IsEmpty ? file.Content.ToArray() : dte.OriginalXml.ToArray();
        var xml = new DocumentXml
        {
            Content = content,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            FileName = Cut(fileName, 200)!,
            Signature = dte.Signature.State switch
            {
                Dte.DteSignatureState.Valid => DocumentSignature.Valid,
                Dte.DteSignatureState.Invalid => DocumentSignature.Invalid,
                Dte.DteSignatureState.NotVerifiable => DocumentSignature.NotVerifiable,
                _ => DocumentSignature.Unsigned,
            },
            ImportedAt = now,
        };
        var references = dte.Referencias.Select((r, i) => new DocumentReference
        {
            LineNumber = i + 1,
            ReferencedType = r.TipoDte ?? 0,
            ReferencedFolio = long.TryParse(r.FolioRef, NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0,
            ReferencedDate = r.FchRef,
            CodRef = r.CodRef,
            Reason = Cut(r.RazonRef, 100),
        }).ToList();
        return new DteCandidate
        {
            Report = report, Dte = dte, Document = document, Xml = xml, References = references, Receptor = receptor, FromAec = fromAec,
        };
    }

    private static DteCandidate Refuse(DteCandidate candidate, string? message)
    {
        if (message is not null)
        {
            candidate.Report.Errors.Add(message);
        }
        candidate.Report.Outcome = DteImportOutcome.Refused;
        candidate.Report.Message = "No se importó.";
        return candidate;
    }

    private static DteReceptorFacts? Receptor(DteDocument dte)
    {
        var r = dte.Receptor;
        if (r.Rut is not Rut rut || rut.Normalized == ConsumidorFinal)
        {
            return null;
        }
        var email = Platform.Validation.Rules.IsValidEmail(r.Email) ? Cut(r.Email!.Trim(), 254) : null;
        var phone = ChileanPhone.TryNormalize(r.Phone, out var e164) ? e164 : null;
        var address = string.Join(", ", new[] { r.DirRecep, r.CmnaRecep }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()));
        return new DteReceptorFacts(rut.Normalized, Cut(Platform.Validation.Rules.Clean(r.RznSocRecep), 200) ?? rut.Formatted, email, phone,
            Cut(address.Length == 0 ? null : address, 300));
    }

    /// <summary>
    /// Lines as Abono keeps them (whole quantity × whole price). A DTE allows decimals (2,5 kg at $1.990,50): then the
    /// line is kept as one unit of its MontoItem, with the quantity and price in the description.
    /// </summary>
    private static List<DocumentLine> Lines(DteDocument dte, DocumentType type)
    {
        var lines = new List<DocumentLine>();
        foreach (var l in dte.Detalle)
        {
            var amount = l.MontoItem ?? (l.QtyItem is decimal q && l.PrcItem is decimal p ? (long)Math.Round(q * p, MidpointRounding.AwayFromZero) : 0);
            var name = Platform.Validation.Rules.Clean(l.NmbItem) ?? "(sin descripción)";
            if (Platform.Validation.Rules.Clean(l.DscItem) is { } detail)
            {
                name = $"{name} — {detail}";
            }
            long quantity = 1, price = amount;
            if (l.QtyItem is decimal qty && l.PrcItem is decimal prc && qty == decimal.Truncate(qty) && prc == decimal.Truncate(prc)
                && qty > 0 && qty <= long.MaxValue / 2 && (long)qty * (long)prc == amount)
            {
                quantity = (long)qty;
                price = (long)prc;
            }
            else if (l.QtyItem is decimal shownQty && l.PrcItem is decimal shownPrice)
            {
                name = $"{name} ({shownQty.ToString("#,0.######", ChileFormats.Numbers)}{(l.UnmdItem is { } u ? " " + u : "")} × {shownPrice.ToString("$#,0.######", ChileFormats.Numbers)})";
            }
            lines.Add(new DocumentLine
            {
                LineNumber = lines.Count + 1,
                Description = Cut(name, IssueLimits.MaxDescription)!,
                Quantity = quantity,
                UnitPrice = price,
                IsExempt = type.IsExempt() || l.IndExe is 1,
                Amount = amount,
            });
        }
        return lines;
    }

    private static string? Cut(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];
}
