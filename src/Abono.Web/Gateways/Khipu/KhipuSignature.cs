using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Abono.Web.Gateways.Khipu;

/// <summary>
/// Khipu's notification signature: x-khipu-signature "t=&lt;unix ms&gt;,s=&lt;base64&gt;" where s =
/// Base64(HMAC-SHA256(secret, t + "." + raw body)). [3P: several independent implementations agree; Khipu's own
/// signature section was not retrieved, nor which of the account's secrets signs — so the secret is a setting.]
/// </summary>
public static class KhipuSignature
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string t, string rawBody) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + rawBody)));

    public static string Header(string secret, DateTimeOffset at, string rawBody)
    {
        var t = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},s={Sign(secret, t, rawBody)}";
    }

    public static bool IsValid(string header, string rawBody, string secret, DateTimeOffset now)
    {
        string? t = null, s = null;
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
                case "s": s = kv[1].Trim(); break;
            }
        }
        if (t is null || s is null || secret.Length == 0 || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var stamp)
            || stamp > 253_402_300_799_999)
        {
            return false;
        }
        if ((now - DateTimeOffset.FromUnixTimeMilliseconds(stamp)).Duration() > Tolerance)
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + rawBody));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
