using System.Xml.Linq;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// Reads an AEC: AEC/DocumentoAEC/Cesiones holds the ceded DTE (DTECedido/DocumentoDTECedido/DTE) and one Cesion
/// per transfer. Each cesión is checked against the ceded DTE and against the one before it.
/// </summary>
internal static class AecReader
{
    public static DteAec? Read(XElement root, DteFileContext context)
    {
        var result = context.Result;
        var documentoAec = root.Child("DocumentoAEC");
        var cesiones = documentoAec.Child("Cesiones");
        var dte = cesiones.Path("DTECedido", "DocumentoDTECedido", "DTE");
        if (dte is null)
        {
            result.Add(DteIssue.Error(DteIssueCodes.NoDocuments, "El AEC no contiene el documento cedido (Cesiones/DTECedido/DocumentoDTECedido/DTE)."));
            return null;
        }
        var document = context.ReadDte(dte, 1);
        result.AddDocument(document);
        var cesionElements = cesiones.Children("Cesion").ToList();
        if (cesionElements.Count == 0)
        {
            result.Add(DteIssue.Error(DteIssueCodes.NoDocuments, $"El AEC de la {document.Label} no contiene cesiones (Cesion)."));
        }
        var list = cesionElements.Select(c => ReadCesion(c, document, context)).ToList();
        CheckChain(list, document);
        var caratula = documentoAec.Child("Caratula");
        var aec = new DteAec
        {
            CededDocument = document,
            Cesiones = list,
            RutCedente = caratula.Text("RutCedente"),
            RutCesionario = caratula.Text("RutCesionario"),
            MailContacto = caratula.Text("MailContacto"),
            TmstFirmaEnvio = new DteFieldReader("AEC", root, []).Timestamp(caratula, "TmstFirmaEnvio", "la fecha de firma"),
        };
        if (context.Options.VerifySignatures)
        {
            aec.Signature = context.Verify(root, documentoAec, context.Text);
            DteFileContext.AddSignatureIssue("AEC", aec.Signature, result.Add);
        }
        return aec;
    }

    private static DteCesion ReadCesion(XElement cesion, DteDocument ceded, DteFileContext context)
    {
        var issues = new List<DteIssue>();
        var documento = cesion.Child("DocumentoCesion");
        var seqText = documento.Text("SeqCesion");
        var label = int.TryParse(seqText, out var seq) ? $"{ceded.Label}, cesión {seq}" : $"{ceded.Label}, cesión (sin secuencia)";
        var fields = new DteFieldReader(label, cesion, issues);
        if (documento is null)
        {
            fields.Missing(cesion, "DocumentoCesion", "el contenido de la cesión");
        }
        var id = documento.Child("IdDTE");
        var result = new DteCesion
        {
            SeqCesion = fields.Integer(documento, "SeqCesion", "la secuencia de la cesión", required: documento is not null, min: 1, max: 999),
            IdDte = new DteCesionDocumentId(
                fields.Integer(id, "TipoDTE", "el tipo del documento cedido", required: id is not null),
                fields.Rut(id, "RUTEmisor", "el RUT del emisor del documento cedido", required: id is not null).Text,
                fields.Rut(id, "RUTReceptor", "el RUT del deudor del documento cedido", required: id is not null).Text,
                fields.Amount(id, "Folio", "el folio del documento cedido", required: id is not null),
                fields.Date(id, "FchEmis", "la fecha de emisión del documento cedido", required: id is not null),
                fields.Amount(id, "MntTotal", "el monto total del documento cedido", required: id is not null)),
            Cedente = Party(fields, documento, "Cedente", "del cedente"),
            Cesionario = Party(fields, documento, "Cesionario", "del cesionario"),
            MontoCesion = fields.Amount(documento, "MontoCesion", "el monto cedido", required: documento is not null),
            UltimoVencimiento = fields.Date(documento, "UltimoVencimiento", "el último vencimiento", required: documento is not null),
            TmstCesion = fields.Timestamp(documento, "TmstCesion", "la fecha de la cesión"),
            OtrasCondiciones = documento.Text("OtrasCondiciones"),
            EmailDeudor = documento.Text("eMailDeudor"),
            OriginalText = context.OriginalText(cesion) ?? "",
        };
        if (documento is not null && documento.Text("TmstCesion") is null)
        {
            fields.Missing(documento, "TmstCesion", "la fecha de la cesión");
        }
        result.AddRange(issues);
        CheckAgainstDocument(result, ceded, label);
        result.Schema = context.Schema(cesion, label, result.Add);
        if (context.Options.VerifySignatures)
        {
            result.Signature = context.Verify(cesion, documento, context.OriginalText(cesion));
            DteFileContext.AddSignatureIssue(label, result.Signature, result.Add);
        }
        return result;
    }

    private static DteCesionParty Party(DteFieldReader fields, XElement? documento, string name, string suffix)
    {
        var party = documento.Child(name);
        if (documento is not null && party is null)
        {
            fields.Missing(documento, name, $"la identificación {suffix}");
        }
        var (text, rut) = fields.Rut(party, "RUT", $"el RUT {suffix}", required: party is not null);
        return new DteCesionParty(text, rut,
            fields.Text(party, "RazonSocial", $"la razón social {suffix}", required: party is not null),
            party.Text("Direccion"), party.Text("eMail"));
    }

    // A cesión of another document, or of more than it is worth, must not mark this one as ceded.
    private static void CheckAgainstDocument(DteCesion cesion, DteDocument ceded, string label)
    {
        var id = cesion.IdDte;
        var sameEmisor = id.RutEmisor is null || !Rut.TryParse(id.RutEmisor, out var emisor) || ceded.Emisor.Rut is null || emisor == ceded.Emisor.Rut;
        if ((id.TipoDte is int tipo && tipo != ceded.TipoDte) || (id.Folio is long folio && folio != ceded.Folio) || !sameEmisor)
        {
            var named = DteTypeNames.Label(id.TipoDte, id.Folio, 1);
            cesion.Add(DteIssue.Error(DteIssueCodes.CesionMismatch,
                $"{label}: la cesión identifica la {named} del RUT {Rut.Format(id.RutEmisor)}, pero el AEC trae la {ceded.Label} del RUT {Rut.Format(ceded.Emisor.RutEmisor)}.",
                "DocumentoCesion/IdDTE"));
        }
        if (id.MntTotal is long total && ceded.Totales.MntTotal is long documentTotal && total != documentTotal)
        {
            cesion.Add(DteIssue.Error(DteIssueCodes.CesionMismatch,
                $"{label}: el monto total que indica la cesión ({ChileFormats.Clp(total)}) no es el del documento ({ChileFormats.Clp(documentTotal)}).",
                "DocumentoCesion/IdDTE/MntTotal"));
        }
        if (cesion.MontoCesion is long amount && ceded.Totales.MntTotal is long max && amount > max)
        {
            cesion.Add(DteIssue.Error(DteIssueCodes.CesionAmount,
                $"{label}: el monto cedido ({ChileFormats.Clp(amount)}) supera el total del documento ({ChileFormats.Clp(max)}).",
                "DocumentoCesion/MontoCesion"));
        }
    }

    // Cesión n+1 is made by whoever received cesión n; the first by the issuer.
    private static void CheckChain(List<DteCesion> cesiones, DteDocument ceded)
    {
        var ordered = cesiones.Where(c => c.SeqCesion is not null).OrderBy(c => c.SeqCesion).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var cesion = ordered[i];
            var label = $"{ceded.Label}, cesión {cesion.SeqCesion}";
            if (i > 0 && ordered[i - 1].SeqCesion == cesion.SeqCesion)
            {
                cesion.Add(DteIssue.Error(DteIssueCodes.CesionSequence, $"{label}: hay dos cesiones con la misma secuencia."));
                continue;
            }
            if (cesion.SeqCesion != i + 1)
            {
                cesion.Add(DteIssue.Warning(DteIssueCodes.CesionSequence, $"{label}: las cesiones no van en secuencia (1, 2, 3…); falta alguna anterior."));
            }
            var previousOwner = i == 0 ? ceded.Emisor.Rut : ordered[i - 1].Cesionario.Rut;
            if (previousOwner is Rut owner && cesion.Cedente.Rut is Rut cedente && owner != cedente)
            {
                var who = i == 0 ? "el emisor del documento" : "el cesionario de la cesión anterior";
                cesion.Add(DteIssue.Warning(DteIssueCodes.CesionSequence,
                    $"{label}: el cedente ({cedente.Formatted}) no es {who} ({owner.Formatted})."));
            }
        }
    }
}
