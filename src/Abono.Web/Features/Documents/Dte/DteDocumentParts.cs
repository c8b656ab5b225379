using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>FmaPago: how the document is paid.</summary>
public enum DtePaymentForm
{
    Contado = 1,
    Credito = 2,
    SinCosto = 3,
}

/// <summary>One scheduled payment of MntPagos.</summary>
public sealed record DteScheduledPayment(DateOnly? FchPago, long? MntPago, string? GlosaPagos);

/// <summary>Emisor: who issued the document. <see cref="Rut"/> is set when RUTEmisor is a valid RUT.</summary>
public sealed record DteEmisor(string? RutEmisor, Rut? Rut, string? RznSoc, string? GiroEmis, string? CorreoEmisor);

/// <summary>
/// Receptor: who the document was issued to. <see cref="Email"/> is CorreoRecep, or an e-mail address written in
/// Contacto; <see cref="Phone"/> is a Chilean phone found in Contacto (E.164), when it holds one.
/// </summary>
public sealed record DteReceptor(
    string? RutRecep,
    Rut? Rut,
    string? RznSocRecep,
    string? CorreoRecep,
    string? Contacto,
    string? Email,
    string? Phone,
    string? DirRecep,
    string? CmnaRecep,
    string? CiudadRecep);

/// <summary>An additional tax or retention of Totales/ImptoReten.</summary>
public sealed record DteAdditionalTax(string TipoImp, decimal? TasaImp, long MontoImp);

/// <summary>Totales, in whole pesos. Absent amounts are null (an exenta has no MntNeto nor IVA).</summary>
public sealed record DteTotals(
    long? MntNeto,
    long? MntExe,
    decimal? TasaIVA,
    long? IVA,
    IReadOnlyList<DteAdditionalTax> ImptoReten,
    long? IVANoRet,
    long? CredEC,
    long? GrntDep,
    long? MntTotal);

/// <summary>A Detalle line. IndExe marks an exempt (or non-billable) line.</summary>
public sealed record DteLine(int? NroLinDet, string? NmbItem, string? DscItem, decimal? QtyItem, string? UnmdItem, decimal? PrcItem, long? MontoItem, int? IndExe);

/// <summary>
/// A Referencia. TpoDocRef is text because the SII allows codes such as "801" (orden de compra) or "SET";
/// CodRef is 1 (anula), 2 (corrige texto) or 3 (corrige montos).
/// </summary>
public sealed record DteReference(int? NroLinRef, string? TpoDocRef, string? FolioRef, DateOnly? FchRef, int? CodRef, string? RazonRef)
{
    /// <summary>The referenced DTE type when TpoDocRef is a number.</summary>
    public int? TipoDte => int.TryParse(TpoDocRef, out var code) ? code : null;
}

/// <summary>Which rule gave <see cref="DteDueDate.Date"/>.</summary>
public enum DueDateRule
{
    /// <summary>The document's FchVenc.</summary>
    FchVenc,

    /// <summary>The last FchPago of the MntPagos schedule.</summary>
    MntPagos,

    /// <summary>FchEmis plus TermPagoDias: a term the document states in days.</summary>
    TermPagoDias,

    /// <summary>No term stated: 30 days from FchEmis (Ley 19.983).</summary>
    Ley19983,
}

public sealed record DteDueDate(DateOnly Date, DueDateRule Rule)
{
    /// <summary>Why this date, for the document's detail.</summary>
    public string Explanation => Rule switch
    {
        DueDateRule.FchVenc => $"Vence el {ChileFormats.Date(Date)}, según la fecha de vencimiento del documento.",
        DueDateRule.MntPagos => $"Vence el {ChileFormats.Date(Date)}, la fecha del último pago programado del documento.",
        DueDateRule.TermPagoDias => $"Vence el {ChileFormats.Date(Date)}, según el plazo de pago en días que indica el documento.",
        _ => $"Vence el {ChileFormats.Date(Date)}: el documento no indica vencimiento y la Ley 19.983 da 30 días desde la emisión.",
    };
}

/// <summary>Whether the document was checked against the SII's XSD, and how it went.</summary>
public enum DteSchemaCheck
{
    NotChecked,
    Valid,
    Invalid,

    /// <summary>The SII's DTE schema does not cover this type (boletas 39/41 have their own schema).</summary>
    NotCovered,
}
