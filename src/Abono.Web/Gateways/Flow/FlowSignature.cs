using System.Security.Cryptography;
using System.Text;

namespace Abono.Web.Gateways.Flow;

/// <summary>
/// Flow's request signature s: every parameter but s, sorted by name in ordinal order (what the official PHP and JS
/// examples' sort does), concatenated as name+value with no separators, then hex HMAC-SHA256 with the secretKey.
/// </summary>
public static class FlowSignature
{
    public static string Canonical(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Concat(parameters.Where(p => p.Key != "s").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));

    public static string Sign(string secretKey, IEnumerable<KeyValuePair<string, string>> parameters) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(Canonical(parameters))));

    /// <summary>For a fake or a test: does <paramref name="parameters"/>' s match, in constant time.</summary>
    public static bool IsValid(string secretKey, IReadOnlyCollection<KeyValuePair<string, string>> parameters)
    {
        var given = parameters.FirstOrDefault(p => p.Key == "s").Value;
        return given is { Length: > 0 } && secretKey.Length > 0
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secretKey, parameters)), Encoding.ASCII.GetBytes(given.ToLowerInvariant()));
    }
}
