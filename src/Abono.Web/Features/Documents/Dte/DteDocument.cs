using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// One DTE as read from a file: its fields as the SII names them, what the checks found (<see cref="Issues"/>), the
/// signature and schema results, and the original XML exactly as it came.
/// </summary>
public sealed class DteDocument
{
    private readonly List<DteIssue> _issues = [];

    /// <summary>1-based position of this DTE in its file (an EnvioDTE holds many).</summary>
    public int Index { get; init; }

    /// <summary>TipoDTE as written (33, 34, 39, 41, 56, 61, ...); null when missing or not a number.</summary>
    public int? TipoDte { get; init; }

    /// <summary>Our document type, when Abono handles this TipoDTE.</summary>
    public DocumentType? DocumentType => TipoDte is int code && DocumentTypes.IsDefined(code) ? (DocumentType)code : null;

    public long? Folio { get; init; }
    public DateOnly? FchEmis { get; init; }
    public DtePaymentForm? FmaPago { get; init; }
    public DateOnly? FchVenc { get; init; }
    public IReadOnlyList<DteScheduledPayment> MntPagos { get; init; } = [];
    public int? TermPagoDias { get; init; }
    public string? TermPagoGlosa { get; init; }
    public required DteEmisor Emisor { get; init; }
    public required DteReceptor Receptor { get; init; }
    public required DteTotals Totales { get; init; }
    public IReadOnlyList<DteLine> Detalle { get; init; } = [];
    public IReadOnlyList<DteReference> Referencias { get; init; } = [];

    /// <summary>The ID attribute of Documento: what the signature references.</summary>
    public string? DocumentoId { get; init; }

    /// <summary>TmstFirma as written (local time of the signer).</summary>
    public DateTime? TmstFirma { get; init; }

    public bool HasTed => TedXml is not null;

    /// <summary>The TED element exactly as written in the file (what the PDF417 of the printed document encodes).</summary>
    public string? TedXml { get; init; }

    /// <summary>
    /// The bytes of this <c>&lt;DTE&gt;</c> element exactly as they are in the file, in <see cref="SourceEncoding"/>:
    /// a slice of <see cref="DteFileResult.Content"/> (<see cref="ByteOffset"/>, length). Empty only when the range
    /// could not be located (an issue says so).
    /// </summary>
    public ReadOnlyMemory<byte> OriginalXml { get; init; }

    public int ByteOffset { get; init; }

    /// <summary>The same element as text, character for character.</summary>
    public string OriginalText { get; init; } = "";

    /// <summary>The encoding of the file's bytes (e.g. ISO-8859-1), to serve <see cref="OriginalXml"/> as it came.</summary>
    public string SourceEncoding { get; init; } = "";

    public DteSignatureCheck Signature { get; internal set; } = DteSignatureCheck.Unsigned;

    public DteSchemaCheck Schema { get; internal set; } = DteSchemaCheck.NotChecked;

    public IReadOnlyList<DteIssue> Issues => _issues;
    public IEnumerable<DteIssue> Errors => _issues.Where(i => i.IsError);
    public IEnumerable<DteIssue> Warnings => _issues.Where(i => !i.IsError);
    public bool HasErrors => _issues.Any(i => i.IsError);

    /// <summary>"Factura 1234", "Nota de crédito 55": how messages name this document.</summary>
    public string Label => DteTypeNames.Label(TipoDte, Folio, Index);

    /// <summary>
    /// When it is due: FchVenc; else the last FchPago of MntPagos; else FchEmis + TermPagoDias; else FchEmis + 30 days
    /// (Ley 19.983: a factura that states no term is due 30 days after it is received). Null without a valid FchEmis
    /// and nothing else to go on.
    /// </summary>
    public DteDueDate? DueDate
    {
        get
        {
            if (FchVenc is DateOnly venc)
            {
                return new DteDueDate(venc, DueDateRule.FchVenc);
            }
            var lastPayment = MntPagos.Where(p => p.FchPago is not null).Select(p => p.FchPago!.Value).DefaultIfEmpty().Max();
            if (lastPayment != default)
            {
                return new DteDueDate(lastPayment, DueDateRule.MntPagos);
            }
            if (FchEmis is not DateOnly issued)
            {
                return null;
            }
            return TermPagoDias is int days and > 0
                ? new DteDueDate(issued.AddDays(days), DueDateRule.TermPagoDias)
                : new DteDueDate(issued.AddDays(30), DueDateRule.Ley19983);
        }
    }

    /// <summary>
    /// Refuses a document the company did not issue: importing someone else's factura as ours would make its
    /// receptor a debtor of ours. Returns null when RUTEmisor is <paramref name="company"/>.
    /// </summary>
    public DteIssue? CheckIssuedBy(Rut company)
    {
        if (Emisor.Rut is Rut emisor && emisor == company)
        {
            return null;
        }
        var written = Emisor.Rut?.Formatted ?? (string.IsNullOrWhiteSpace(Emisor.RutEmisor) ? "(sin RUT)" : Emisor.RutEmisor);
        return DteIssue.Error(DteIssueCodes.ForeignEmisor,
            $"{Label}: fue emitida por el RUT {written}, no por tu empresa ({company.Formatted}). Solo puedes importar documentos que emitió tu empresa.",
            "Documento/Encabezado/Emisor/RUTEmisor");
    }

    internal void Add(DteIssue issue) => _issues.Add(issue);

    internal void AddRange(IEnumerable<DteIssue> issues) => _issues.AddRange(issues);
}
