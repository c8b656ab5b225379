namespace Abono.Web.Features.Documents.Dte;

public enum DteIssueSeverity
{
    /// <summary>The file or document cannot be taken as it is.</summary>
    Error,

    /// <summary>Worth showing to the business, but the document can still be used.</summary>
    Warning,
}

/// <summary>
/// One finding about a file or a document, in the words the business reads (Chilean Spanish). <see cref="Code"/> is
/// stable for code and tests; <see cref="Path"/> and <see cref="Line"/> point into the XML when they are known.
/// </summary>
public sealed record DteIssue(DteIssueSeverity Severity, string Code, string Message, string? Path = null, int? Line = null)
{
    public bool IsError => Severity == DteIssueSeverity.Error;

    public override string ToString() => Message;

    internal static DteIssue Error(string code, string message, string? path = null, int? line = null) =>
        new(DteIssueSeverity.Error, code, message, path, line);

    internal static DteIssue Warning(string code, string message, string? path = null, int? line = null) =>
        new(DteIssueSeverity.Warning, code, message, path, line);
}

/// <summary>The codes of <see cref="DteIssue"/>, so callers and tests do not match on wording.</summary>
public static class DteIssueCodes
{
    public const string EmptyFile = "archivo-vacio";
    public const string FileTooLarge = "archivo-muy-grande";
    public const string Encoding = "codificacion";
    public const string Dtd = "dtd-prohibido";
    public const string TooDeep = "anidamiento";
    public const string NotXml = "xml-invalido";
    public const string UnknownRoot = "raiz-desconocida";
    public const string NoDocuments = "sin-documentos";
    public const string MissingField = "falta-campo";
    public const string InvalidValue = "valor-invalido";
    public const string InvalidRut = "rut-invalido";
    public const string UnknownType = "tipo-desconocido";
    public const string UnsupportedType = "tipo-no-soportado";
    public const string InvalidFolio = "folio-invalido";
    public const string InvalidDate = "fecha-invalida";
    public const string TotalsMismatch = "total-no-cuadra";
    public const string IvaMismatch = "iva-no-cuadra";
    public const string PaymentsMismatch = "pagos-no-cuadran";
    public const string DueBeforeIssue = "vence-antes-de-emitir";
    public const string MissingReference = "nota-sin-referencia";
    public const string ForeignEmisor = "emisor-ajeno";
    public const string Schema = "esquema";
    public const string SignatureInvalid = "firma-invalida";
    public const string SignatureUnverifiable = "firma-no-verificable";
    public const string ByteRange = "rango-original";
    public const string CesionMismatch = "cesion-no-corresponde";
    public const string CesionSequence = "cesion-secuencia";
    public const string CesionAmount = "cesion-monto";
    public const string ZipNotXml = "zip-no-xml";
    public const string ZipEncrypted = "zip-cifrado";
}
