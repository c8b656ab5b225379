using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>Cedente or Cesionario of a cesión. <see cref="Rut"/> is set when the RUT is valid.</summary>
public sealed record DteCesionParty(string? RutText, Rut? Rut, string? RazonSocial, string? Direccion, string? Email)
{
    /// <summary>"Banco Factoring SpA (76.123.456-0)": how the portal names who to pay.</summary>
    public string Display => $"{RazonSocial ?? "(sin razón social)"} ({Rut?.Formatted ?? RutText ?? "sin RUT"})";
}

/// <summary>IdDTE of a cesión: which document it transfers.</summary>
public sealed record DteCesionDocumentId(int? TipoDte, string? RutEmisor, string? RutReceptor, long? Folio, DateOnly? FchEmis, long? MntTotal);

/// <summary>One Cesion/DocumentoCesion of an AEC: a transfer of the credit of one factura.</summary>
public sealed class DteCesion
{
    private readonly List<DteIssue> _issues = [];

    public int? SeqCesion { get; init; }
    public required DteCesionDocumentId IdDte { get; init; }
    public required DteCesionParty Cedente { get; init; }
    public required DteCesionParty Cesionario { get; init; }
    public long? MontoCesion { get; init; }
    public DateOnly? UltimoVencimiento { get; init; }
    public DateTime? TmstCesion { get; init; }
    public string? OtrasCondiciones { get; init; }
    public string? EmailDeudor { get; init; }
    public DteSignatureCheck Signature { get; internal set; } = DteSignatureCheck.Unsigned;
    public DteSchemaCheck Schema { get; internal set; } = DteSchemaCheck.NotChecked;

    /// <summary>The cesión as text, character for character, as it is in the file.</summary>
    public string OriginalText { get; init; } = "";

    public IReadOnlyList<DteIssue> Issues => _issues;
    public bool HasErrors => _issues.Any(i => i.IsError);

    internal void Add(DteIssue issue) => _issues.Add(issue);

    internal void AddRange(IEnumerable<DteIssue> issues) => _issues.AddRange(issues);
}

/// <summary>
/// An AEC (Archivo Electrónico de Cesión, RPETC): the ceded DTE and its chain of cesiones. The cesión with the
/// highest SeqCesion names who owns the credit now: the debtor must pay that cesionario, never the issuer.
/// </summary>
public sealed class DteAec
{
    public required DteDocument CededDocument { get; init; }
    public IReadOnlyList<DteCesion> Cesiones { get; init; } = [];
    public string? RutCedente { get; init; }
    public string? RutCesionario { get; init; }
    public string? MailContacto { get; init; }
    public DateTime? TmstFirmaEnvio { get; init; }

    /// <summary>The signature of the whole AEC (over DocumentoAEC).</summary>
    public DteSignatureCheck Signature { get; internal set; } = DteSignatureCheck.Unsigned;

    /// <summary>The last transfer (highest SeqCesion); null when the file has no readable cesión.</summary>
    public DteCesion? CurrentCesion => Cesiones.Where(c => c.SeqCesion is not null).MaxBy(c => c.SeqCesion);

    /// <summary>Who must be paid now.</summary>
    public DteCesionParty? CurrentOwner => CurrentCesion?.Cesionario;
}
