using Abono.Web.Data;
using Abono.Web.Features.Documents.Dte;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Documents.Import;

/// <summary>
/// What the document's detail shows of the DTE it was imported from: the stored XML read again (emisor, receptor,
/// forma de pago, due-date rule, schema findings), the signature as checked at import, and its references.
/// </summary>
public sealed record DteDetailsView(DocumentXml Xml, DteDocument? Dte, IReadOnlyList<DteDetailsView.Reference> References)
{
    private static readonly DteFileReader Reader = new();

    public sealed record Reference(DocumentReference Row, string Label, long? LinkedId, bool Informative);

    public static async Task<DteDetailsView?> LoadAsync(AbonoDbContext db, long documentId, CancellationToken ct = default)
    {
        var xml = await db.DocumentXmls.AsNoTracking().SingleOrDefaultAsync(x => x.DocumentId == documentId, ct);
        if (xml is null)
        {
            return null;
        }
        var rows = await db.DocumentReferences.AsNoTracking().Where(r => r.DocumentId == documentId).OrderBy(r => r.LineNumber).ToListAsync(ct);
        var dte = Reader.Read(xml.Content, xml.FileName).Documents.FirstOrDefault();
        var references = rows.Select(r => new Reference(r,
            DocumentTypes.IsDefined(r.ReferencedType) ? $"{((DocumentType)r.ReferencedType).ShortName()} {r.ReferencedFolio}"
                : r.ReferencedType == 801 ? $"Orden de compra {dte?.Referencias.ElementAtOrDefault(r.LineNumber - 1)?.FolioRef ?? r.ReferencedFolio.ToString()}"
                : $"Documento tipo {dte?.Referencias.ElementAtOrDefault(r.LineNumber - 1)?.TpoDocRef ?? r.ReferencedType.ToString()} {dte?.Referencias.ElementAtOrDefault(r.LineNumber - 1)?.FolioRef}",
            r.ReferencedDocumentId, !DocumentTypes.IsDefined(r.ReferencedType))).ToList();
        return new DteDetailsView(xml, dte, references);
    }

    public string SignatureText => Xml.Signature switch
    {
        DteSignatureState.Valid => "Firma válida: el documento no cambió desde que se firmó.",
        DteSignatureState.Invalid => "Firma no válida: el documento fue modificado después de firmarlo.",
        DteSignatureState.NotVerifiable => "La firma no se pudo verificar.",
        _ => "Sin firma.",
    };

    public string PaymentFormText => Dte?.FmaPago switch
    {
        DtePaymentForm.Contado => "Contado",
        DtePaymentForm.Credito => "Crédito",
        DtePaymentForm.SinCosto => "Sin costo",
        _ => "No indicada",
    };

    public string CodRefText(int? codRef) => codRef switch
    {
        1 => "Anula el documento",
        2 => "Corrige texto",
        3 => "Corrige montos",
        _ => "",
    };
}
