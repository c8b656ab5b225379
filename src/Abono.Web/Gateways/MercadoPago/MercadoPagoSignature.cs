using System.Security.Cryptography;
using System.Text;

namespace Abono.Web.Gateways.MercadoPago;

/// <summary>
/// Mercado Pago's webhook signature: x-signature "ts=..,v1=.." where v1 = hex HMAC-SHA256(secret,
/// "id:{data.id};request-id:{x-request-id};ts:{ts};"), absent parts left out. ts is read as Unix seconds (what the
/// official SDK does; the docs' prose says milliseconds, so a value too large for seconds is read as milliseconds).
/// </summary>
public static class MercadoPagoSignature
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Manifest(string? dataId, string? requestId, string ts)
    {
        var manifest = new StringBuilder();
        if (!string.IsNullOrEmpty(dataId))
        {
            manifest.Append("id:").Append(dataId).Append(';');
        }
        if (!string.IsNullOrEmpty(requestId))
        {
            manifest.Append("request-id:").Append(requestId).Append(';');
        }
        return manifest.Append("ts:").Append(ts).Append(';').ToString();
    }

    public static string Sign(string secret, string manifest) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(manifest)));

    public static bool IsValid(string header, string? dataId, string? requestId, string secret, DateTimeOffset now)
    {
        string? ts = null, v1 = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2)
            {
                continue;
            }
            switch (kv[0].Trim())
            {
                case "ts": ts = kv[1].Trim(); break;
                case "v1": v1 = kv[1].Trim(); break;
            }
        }
        if (ts is null || v1 is null || secret.Length == 0 || !long.TryParse(ts, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var stamp))
        {
            return false;
        }
        var at = stamp > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(stamp) : DateTimeOffset.FromUnixTimeSeconds(stamp);
        if ((now - at).Duration() > Tolerance)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, Manifest(dataId, requestId, ts)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(v1.ToLowerInvariant()));
    }
}
