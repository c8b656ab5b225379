namespace Abono.Web.Features.Documents.Dte;

public enum DteSignatureState
{
    /// <summary>The signed content is exactly what was signed, with the key the file carries.</summary>
    Valid,

    /// <summary>The content (or the signature) changed after signing.</summary>
    Invalid,

    /// <summary>No XML-DSig signature: normal for some exports; not an error.</summary>
    Unsigned,

    /// <summary>A signature is there but cannot be checked offline (malformed, an unsupported algorithm, an outside reference).</summary>
    NotVerifiable,
}

/// <summary>
/// The offline XML-DSig check. Valid proves integrity against the key embedded in the file, not who that key belongs
/// to nor that the SII accepted the document: that needs the SII's services.
/// </summary>
public sealed record DteSignatureCheck(DteSignatureState State, string Message, string? Signer = null)
{
    internal static readonly DteSignatureCheck Unsigned = new(DteSignatureState.Unsigned, "Sin firma.");

    internal static DteSignatureCheck Valid(string? signer) =>
        new(DteSignatureState.Valid, "Firma válida: el documento no cambió desde que se firmó.", signer);

    internal static DteSignatureCheck Invalid(string message, string? signer) => new(DteSignatureState.Invalid, message, signer);

    internal static DteSignatureCheck NotVerifiable(string reason) =>
        new(DteSignatureState.NotVerifiable, $"La firma no se pudo verificar: {reason}");
}
