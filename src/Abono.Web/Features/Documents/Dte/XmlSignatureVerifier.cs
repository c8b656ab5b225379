using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// Checks offline that a signed SII element (a DTE over its Documento, an EnvioDTE over SetDTE, a Cesion over
/// DocumentoCesion, an AEC over DocumentoAEC) was not changed after signing. It verifies the element's original text,
/// parsed on its own with whitespace preserved, never a re-serialization: one changed byte must show.
/// </summary>
internal static class XmlSignatureVerifier
{
    private static readonly HashSet<string> AllowedTransforms =
    [
        SignedXml.XmlDsigC14NTransformUrl,
        SignedXml.XmlDsigC14NWithCommentsTransformUrl,
        SignedXml.XmlDsigExcC14NTransformUrl,
        SignedXml.XmlDsigExcC14NWithCommentsTransformUrl,
        SignedXml.XmlDsigEnvelopedSignatureTransformUrl,
    ];

    private static readonly HashSet<string> AllowedSignatureMethods =
    [
        SignedXml.XmlDsigRSASHA1Url, // what the SII prescribes
        SignedXml.XmlDsigRSASHA256Url,
    ];

    /// <param name="container">The parsed element that holds the signed child and its ds:Signature.</param>
    /// <param name="signedChild">The child the signature must cover (by its ID attribute).</param>
    /// <param name="originalText">The container exactly as written in the file.</param>
    public static DteSignatureCheck Verify(XElement container, XElement? signedChild, string originalText, int maxCharacters)
    {
        var signatures = container.Elements().Where(e => e.Name.LocalName == "Signature" && e.Name.NamespaceName == SiiXml.DsigNamespace).ToList();
        if (signatures.Count == 0)
        {
            return DteSignatureCheck.Unsigned;
        }
        var id = signedChild?.Attribute("ID")?.Value;
        if (string.IsNullOrEmpty(id) || originalText.Length == 0)
        {
            return DteSignatureCheck.NotVerifiable("el elemento firmado no tiene ID.");
        }

        // Canonical XML includes the namespaces the element inherits; inside an envelope those come from its ancestors.
        // Signers either signed the element in place (inheriting everything) or on its own before enveloping it
        // (inheriting only its own namespace): either one proves the content is unchanged. The likelier one goes first.
        var results = new List<DteSignatureCheck>();
        foreach (var declarations in Contexts(container))
        {
            var result = VerifyText(WithDeclarations(originalText, declarations), container.Name.LocalName, id, signatures.Count, maxCharacters);
            if (result.State == DteSignatureState.Valid)
            {
                return result;
            }
            results.Add(result);
        }
        // A context in which the text cannot even be read says less than one in which it was checked and failed.
        return results.FirstOrDefault(r => r.State == DteSignatureState.Invalid) ?? results[0];
    }

    private static DteSignatureCheck VerifyText(string text, string containerName, string id, int count, int maxCharacters)
    {
        XmlDocument dom;
        try
        {
            dom = SafeXml.LoadDom(text, maxCharacters);
        }
        catch (XmlException)
        {
            return DteSignatureCheck.NotVerifiable("el XML firmado no se pudo leer por separado.");
        }
        var root = dom.DocumentElement!;
        var signatures = root.ChildNodes.OfType<XmlElement>()
            .Where(e => e.LocalName == "Signature" && e.NamespaceURI == SiiXml.DsigNamespace).ToList();
        if (root.LocalName != containerName || signatures.Count != count)
        {
            return DteSignatureCheck.NotVerifiable("el XML firmado no se pudo leer por separado.");
        }
        string? signer = null;
        foreach (var signature in signatures)
        {
            var check = VerifyOne(dom, signature, id);
            if (check.State != DteSignatureState.Valid)
            {
                return check;
            }
            signer ??= check.Signer;
        }
        return DteSignatureCheck.Valid(signer);
    }

    private static DteSignatureCheck VerifyOne(XmlDocument dom, XmlElement signatureElement, string id)
    {
        // KeyInfo is not signed: read the key from it ourselves (cached per certificate) and hand SignedXml a signature
        // without it, so it does not parse the same certificate again for every document. Removing it never touches
        // signed content: in every SII structure the Signature is a sibling of what it signs (and an enveloped
        // signature is excluded from its own digest anyway). This DOM is a private copy.
        var keyInfo = signatureElement.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "KeyInfo" && e.NamespaceURI == SiiXml.DsigNamespace);
        if (keyInfo is null)
        {
            return DteSignatureCheck.NotVerifiable("la firma no trae la clave pública.");
        }
        var key = SignatureKeys.From(keyInfo);
        signatureElement.RemoveChild(keyInfo);
        var signed = new SignedXml(dom);
        try
        {
            signed.LoadXml(signatureElement);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            return DteSignatureCheck.NotVerifiable("la firma está mal formada.");
        }
        // Anything but "#<ID of the element we read>" could make a valid signature vouch for other content, or send
        // SignedXml to fetch a URI: refuse before checking.
        var references = signed.SignedInfo!.References.OfType<Reference>().ToList();
        if (references.Count != 1)
        {
            return DteSignatureCheck.NotVerifiable("la firma debe cubrir exactamente un elemento.");
        }
        var reference = references[0];
        if (reference.Uri is not { Length: > 1 } uri || uri[0] != '#')
        {
            return DteSignatureCheck.NotVerifiable("la firma apunta a un recurso externo, que no se consulta.");
        }
        if (uri[1..] != id)
        {
            return DteSignatureCheck.Invalid("La firma no corresponde a este documento (cubre otro elemento).", key.Signer);
        }
        var transforms = Enumerable.Range(0, reference.TransformChain.Count).Select(i => reference.TransformChain[i]);
        if (transforms.Any(t => !AllowedTransforms.Contains(t.Algorithm ?? "")))
        {
            return DteSignatureCheck.NotVerifiable("la firma usa una transformación no admitida.");
        }
        if (!AllowedSignatureMethods.Contains(signed.SignedInfo.SignatureMethod ?? ""))
        {
            return DteSignatureCheck.NotVerifiable($"algoritmo de firma no admitido ({signed.SignedInfo.SignatureMethod}).");
        }
        if (key.Key is null)
        {
            return DteSignatureCheck.NotVerifiable(key.Problem ?? "la firma no trae la clave pública.");
        }
        if (key.Tampered)
        {
            return DteSignatureCheck.Invalid(key.Problem!, key.Signer);
        }
        // Nothing may be fetched while checking: references are same-document only (checked above).
        signed.Resolver = new RefusingResolver();
        try
        {
            return signed.CheckSignature(key.Key)
                ? DteSignatureCheck.Valid(key.Signer)
                : DteSignatureCheck.Invalid("El documento fue modificado después de firmarlo.", key.Signer);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            return DteSignatureCheck.NotVerifiable("la firma está mal formada.");
        }
    }

    // What SignedXml throws on a damaged signature (bad Base64, missing parts, a broken key or certificate).
    private static bool IsMalformed(Exception e) => e is CryptographicException or FormatException or XmlException or ArgumentException;

    /// <summary>The namespace declarations to add to the container's start tag, most faithful first.</summary>
    private static IEnumerable<IReadOnlyList<XAttribute>> Contexts(XElement container)
    {
        var own = container.Attributes().Where(a => a.IsNamespaceDeclaration).Select(a => a.Name).ToHashSet();
        var inherited = new List<XAttribute>();
        var seen = new HashSet<XName>(own);
        for (var e = container.Parent; e is not null; e = e.Parent)
        {
            foreach (var declaration in e.Attributes().Where(a => a.IsNamespaceDeclaration))
            {
                if (seen.Add(declaration.Name))
                {
                    inherited.Add(declaration);
                }
            }
        }
        var ownNamespace = inherited.Where(a => a.Value == container.Name.NamespaceName).ToList();
        if (ownNamespace.Count == inherited.Count)
        {
            yield return inherited;
            yield break;
        }
        // An element that declares its own namespace was most likely signed on its own, before it was enveloped.
        var declaresOwn = container.Attributes().Any(a => a.IsNamespaceDeclaration && a.Value == container.Name.NamespaceName);
        yield return declaresOwn ? ownNamespace : inherited;
        yield return declaresOwn ? inherited : ownNamespace;
    }

    private static string WithDeclarations(string elementText, IReadOnlyList<XAttribute> declarations)
    {
        if (declarations.Count == 0)
        {
            return elementText;
        }
        var nameEnd = elementText.AsSpan(1).IndexOfAny(" \t\r\n/>") + 1;
        var added = string.Concat(declarations.Select(d =>
            $" {(d.Name.NamespaceName.Length == 0 ? "xmlns" : "xmlns:" + d.Name.LocalName)}=\"{System.Security.SecurityElement.Escape(d.Value)}\""));
        return string.Concat(elementText.AsSpan(0, nameEnd), added, elementText.AsSpan(nameEnd));
    }

    private sealed class RefusingResolver : XmlResolver
    {
        public override object GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn) =>
            throw new XmlException($"Refused to resolve {absoluteUri} while checking a signature.");
    }
}
