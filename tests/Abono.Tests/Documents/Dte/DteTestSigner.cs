using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Abono.Tests.Documents.Dte;

/// <summary>
/// Signs like the SII's invoicing systems: XML-DSig over the element with the given ID (Reference URI="#ID", no
/// transforms, inclusive C14N, RSA-SHA1, SHA-1 digest), KeyInfo with both RSAKeyValue and the X509 certificate, the
/// Signature appended as the container's last child. The key and self-signed certificate are made fresh per signer.
/// </summary>
public sealed class DteTestSigner : IDisposable
{
    private static readonly Lazy<DteTestSigner> SharedSigner = new(() => new DteTestSigner("Juan Pérez Cotapos", 2048));

    public DteTestSigner(string name, int keyBits = 2048)
    {
        Key = RSA.Create(keyBits);
        var request = new CertificateRequest($"CN={name}, O=Comercial Demo SpA, C=CL", Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    /// <summary>One signer for the whole test run: RSA keys are slow to make.</summary>
    public static DteTestSigner Shared => SharedSigner.Value;

    public RSA Key { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>Returns <paramref name="containerXml"/> with a Signature over the element whose ID is <paramref name="id"/>,
    /// inserted before the container's closing tag: nothing else of the text changes.</summary>
    public string Sign(string containerXml, string id, bool includeKeyValue = true, bool includeCertificate = true)
    {
        var dom = new XmlDocument { PreserveWhitespace = true };
        dom.LoadXml(containerXml);
        var signed = new SignedXml(dom) { SigningKey = Key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA1Url;
        signed.AddReference(new Reference("#" + id) { DigestMethod = SignedXml.XmlDsigSHA1Url });
        var keyInfo = new KeyInfo();
        if (includeKeyValue)
        {
            keyInfo.AddClause(new RSAKeyValue(Key));
        }
        if (includeCertificate)
        {
            keyInfo.AddClause(new KeyInfoX509Data(Certificate));
        }
        signed.KeyInfo = keyInfo;
        signed.ComputeSignature();
        var signature = signed.GetXml().OuterXml;
        return containerXml.Insert(containerXml.LastIndexOf("</", StringComparison.Ordinal), signature + "\n");
    }

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}
