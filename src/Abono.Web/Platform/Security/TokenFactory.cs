using System.Security.Cryptography;
using System.Text;

namespace Abono.Web.Platform.Security;

/// <summary>
/// The one place that makes bearer tokens for links (invitations now, portal links later):
/// 256 random bits, URL-safe, stored only as a SHA-256 hash so a database leak opens no link.
/// </summary>
public static class TokenFactory
{
    public static (string Token, string Hash) Create()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    /// <summary>A short public code for links meant to be shared (the company link): 16 URL-safe chars, 96 bits.</summary>
    public static string CreatePublicCode() => Base64Url(RandomNumberGenerator.GetBytes(12));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
