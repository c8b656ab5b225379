using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Abono.Web.Gateways.Fintoc;

/// <summary>
/// Fintoc's webhook signature: Fintoc-Signature "t=&lt;unix s&gt;,v1=&lt;hex&gt;" where v1 = hex
/// HMAC-SHA256(endpoint secret, t + "." + raw body); t must be within <see cref="Tolerance"/> of now.
/// </summary>
public static class FintocSignature
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string t, string rawBody) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + rawBody)));

    public static string Header(string secret, DateTimeOffset at, string rawBody)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Sign(secret, t, rawBody)}";
    }

    public static bool IsValid(string header, string rawBody, string secret, DateTimeOffset now)
    {
        string? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2)
            {
                continue;
            }
            switch (kv[0].Trim())
            {
                case "t": t = kv[1].Trim(); break;
                case "v1": signatures.Add(kv[1].Trim().ToLowerInvariant()); break;   // several while a secret is being rolled
            }
        }
        if (t is null || signatures.Count == 0 || secret.Length == 0 || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var stamp)
            || stamp > 253_402_300_799)
        {
            return false;
        }
        if ((now - DateTimeOffset.FromUnixTimeSeconds(stamp)).Duration() > Tolerance)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, t, rawBody));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }
}
