using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>The public key a signature carries, whom its certificate names, or why it cannot be used.</summary>
internal sealed record SignatureKey(RSA? Key, string? Signer, string? Problem, bool Tampered);

/// <summary>
/// Reads the public key from a signature's KeyInfo (X509Certificate and/or RSAKeyValue), once per distinct key: a
/// business signs thousands of DTEs with one certificate, and parsing it costs more than checking a signature. The
/// cached RSA objects are only used to verify, which does not change them (safe to share across threads).
/// </summary>
internal static class SignatureKeys
{
    private const int MaxCached = 256;
    private static readonly ConcurrentDictionary<string, SignatureKey> Cache = new(StringComparer.Ordinal);

    public static SignatureKey From(XmlElement keyInfo)
    {
        var certificate = Text(keyInfo, "X509Data", "X509Certificate");
        var modulus = Text(keyInfo, "KeyValue", "RSAKeyValue", "Modulus");
        var exponent = Text(keyInfo, "KeyValue", "RSAKeyValue", "Exponent");
        var cacheKey = $"{certificate}|{modulus}|{exponent}";
        if (Cache.TryGetValue(cacheKey, out var known))
        {
            return known;
        }
        var key = Load(certificate, modulus, exponent);
        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }
        return Cache.GetOrAdd(cacheKey, key);
    }

    private static SignatureKey Load(string? certificateText, string? modulusText, string? exponentText)
    {
        try
        {
            RSAParameters? fromValue = modulusText is not null && exponentText is not null
                ? new RSAParameters { Modulus = Convert.FromBase64String(modulusText), Exponent = Convert.FromBase64String(exponentText) }
                : null;
            if (certificateText is null)
            {
                return fromValue is RSAParameters value
                    ? new SignatureKey(RSA.Create(value), null, null, false)
                    : new SignatureKey(null, null, "la firma no trae la clave pública.", false);
            }
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificateText));
            var key = certificate.GetRSAPublicKey();
            if (key is null)
            {
                return new SignatureKey(null, certificate.Subject, "el certificado no tiene una clave RSA.", false);
            }
            if (fromValue is RSAParameters stated)
            {
                var actual = key.ExportParameters(false);
                if (!stated.Modulus.AsSpan().TrimStart((byte)0).SequenceEqual(actual.Modulus.AsSpan().TrimStart((byte)0))
                    || !stated.Exponent.AsSpan().TrimStart((byte)0).SequenceEqual(actual.Exponent.AsSpan().TrimStart((byte)0)))
                {
                    return new SignatureKey(key, certificate.Subject, "La clave de la firma no coincide con su certificado: la firma fue alterada.", true);
                }
            }
            return new SignatureKey(key, certificate.Subject, null, false);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return new SignatureKey(null, null, "la clave pública de la firma está dañada.", false);
        }
    }

    private static string? Text(XmlElement parent, params string[] path)
    {
        XmlElement? element = parent;
        foreach (var name in path)
        {
            element = element?.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == name && e.NamespaceURI == SiiXml.DsigNamespace);
        }
        var text = element?.InnerText;
        return string.IsNullOrWhiteSpace(text) ? null : string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
    }
}
