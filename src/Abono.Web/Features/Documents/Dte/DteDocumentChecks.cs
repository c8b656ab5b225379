using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>Checks across fields of one document, in the words the business reads.</summary>
internal static class DteDocumentChecks
{
    // Codes of Totales/ImptoReten that the issuer retains (subtracted from the total) rather than charges: IVA
    // retenido total (15) and the partial retentions by trade (legumbres, silvestres, ganado, madera, trigo, arroz,
    // hidrobiológicas, chatarra, PPA, construcción, oro, cartones, frambuesas). Our reading of the SII's table of
    // impuestos adicionales y retenciones: a total that does not match with these is a warning, not an error.
    private static readonly HashSet<string> Retentions = ["15", "30", "31", "32", "33", "34", "36", "37", "38", "39", "41", "46", "47", "48"];

    public static void Run(DteDocument document, bool amountsRead)
    {
        var label = document.Label;
        CheckType(document, label);
        if (amountsRead)
        {
            CheckTotals(document, label);
            CheckIva(document, label);
            CheckPayments(document, label);
        }
        if (document.FchVenc is DateOnly venc && document.FchEmis is DateOnly emis && venc < emis)
        {
            document.Add(DteIssue.Warning(DteIssueCodes.DueBeforeIssue,
                $"{label}: vence ({ChileFormats.Date(venc)}) antes de su fecha de emisión ({ChileFormats.Date(emis)}).",
                "Documento/Encabezado/IdDoc/FchVenc"));
        }
        // The SII requires a nota to say which document it modifies; without it we cannot apply it to anything.
        if (document.TipoDte is 56 or 61 or 111 or 112 && document.Referencias.Count == 0)
        {
            var kind = document.TipoDte is 56 or 111 ? "nota de débito" : "nota de crédito";
            document.Add(DteIssue.Error(DteIssueCodes.MissingReference,
                $"{label}: una {kind} debe indicar el documento que modifica (Referencia).", "Documento/Referencia"));
        }
    }

    private static void CheckType(DteDocument document, string label)
    {
        if (document.TipoDte is not int code)
        {
            return;
        }
        if (!DteTypeNames.IsSiiType(code))
        {
            document.Add(DteIssue.Error(DteIssueCodes.UnknownType,
                $"{label}: el tipo de documento {code} no existe en el SII.", "Documento/Encabezado/IdDoc/TipoDTE"));
        }
        else if (document.DocumentType is null)
        {
            document.Add(DteIssue.Warning(DteIssueCodes.UnsupportedType,
                $"{label}: Abono todavía no cobra este tipo de documento (TipoDTE {code}).", "Documento/Encabezado/IdDoc/TipoDTE"));
        }
    }

    private static void CheckTotals(DteDocument document, string label)
    {
        var t = document.Totales;
        if (t.MntTotal is not long total)
        {
            return;
        }
        var neto = t.MntNeto ?? 0;
        var exento = t.MntExe ?? 0;
        var iva = t.IVA ?? 0;
        var sum = neto + exento + iva;
        var hasOthers = t.ImptoReten.Count > 0 || t.IVANoRet is not null || t.CredEC is not null || t.GrntDep is not null;
        if (!hasOthers)
        {
            if (sum != total)
            {
                document.Add(DteIssue.Error(DteIssueCodes.TotalsMismatch,
                    $"{label}: el total no cuadra con neto + exento + IVA ({ChileFormats.Clp(neto)} + {ChileFormats.Clp(exento)} + {ChileFormats.Clp(iva)} = {ChileFormats.Clp(sum)}, pero el total dice {ChileFormats.Clp(total)}).",
                    "Documento/Encabezado/Totales/MntTotal"));
            }
            return;
        }
        var charged = t.ImptoReten.Where(i => !Retentions.Contains(i.TipoImp)).Sum(i => i.MontoImp);
        var retained = t.ImptoReten.Where(i => Retentions.Contains(i.TipoImp)).Sum(i => i.MontoImp);
        var expected = sum + charged - retained + (t.IVANoRet ?? 0) - (t.CredEC ?? 0) + (t.GrntDep ?? 0);
        if (expected != total)
        {
            document.Add(DteIssue.Warning(DteIssueCodes.TotalsMismatch,
                $"{label}: el total no cuadra con neto + exento + IVA más impuestos adicionales y menos retenciones (suman {ChileFormats.Clp(expected)}, pero el total dice {ChileFormats.Clp(total)}). Revísalo.",
                "Documento/Encabezado/Totales/MntTotal"));
        }
    }

    private static void CheckIva(DteDocument document, string label)
    {
        var t = document.Totales;
        if (t.MntNeto is not long neto || t.TasaIVA is not decimal rate || t.IVA is not long iva)
        {
            return;
        }
        var expected = (long)Math.Round(neto * rate / 100m, MidpointRounding.AwayFromZero);
        // A peso either way: issuers round per line or on the total.
        if (Math.Abs(expected - iva) > 1)
        {
            document.Add(DteIssue.Warning(DteIssueCodes.IvaMismatch,
                $"{label}: el IVA ({ChileFormats.Clp(iva)}) no corresponde al {rate.ToString("0.##", ChileFormats.Numbers)} % del neto ({ChileFormats.Clp(expected)}).",
                "Documento/Encabezado/Totales/IVA"));
        }
    }

    private static void CheckPayments(DteDocument document, string label)
    {
        var payments = document.MntPagos;
        if (payments.Count == 0 || payments.Any(p => p.MntPago is null) || document.Totales.MntTotal is not long total)
        {
            return;
        }
        var sum = payments.Sum(p => p.MntPago!.Value);
        if (sum != total)
        {
            document.Add(DteIssue.Warning(DteIssueCodes.PaymentsMismatch,
                $"{label}: los pagos programados (MntPagos) suman {ChileFormats.Clp(sum)}, pero el total es {ChileFormats.Clp(total)}.",
                "Documento/Encabezado/IdDoc/MntPagos"));
        }
    }
}
