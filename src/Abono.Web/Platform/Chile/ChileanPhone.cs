namespace Abono.Web.Platform.Chile;

/// <summary>
/// Chilean phone numbers, stored as E.164 (+56912345678) and shown as "+56 9 1234 5678". Since 2016 every Chilean
/// number has nine digits: mobiles start with 9, Santiago's landlines with 2, other landlines with their two-digit area
/// code. The rule is the numbering plan's, not a list of assigned ranges: libphonenumber's ranges refused numbers
/// people really have (and our own example, 9 1234 5678), and a payer must never be locked out for how they wrote it.
/// </summary>
public static class ChileanPhone
{
    public static bool TryNormalize(string? input, out string e164)
    {
        e164 = string.Empty;
        if (string.IsNullOrWhiteSpace(input) || input.Length > 30)
        {
            return false;
        }
        var text = input.Trim();
        // What people type around the digits: "+56 (9) 1234-5678", "09.1234.5678". Anything else is not a phone.
        if (text.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-' or '(' or ')' or '.' or '+')))
        {
            return false;
        }
        // A "+" only opens the number ("+56 …" or "(+56) …").
        var plus = text.IndexOf('+');
        if (plus >= 0 && (text.LastIndexOf('+') != plus || text[..plus].Any(c => c is not ('(' or ' '))))
        {
            return false;
        }
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = digits[2..];   // 0056 9 1234 5678: the international prefix dialled from Chile
        }
        if (digits.Length == 11 && digits.StartsWith("56", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }
        else if (digits.Length == 10 && digits[0] == '0')
        {
            digits = digits[1..];   // 09 1234 5678: the old trunk prefix
        }
        else if (plus >= 0)
        {
            return false;           // another country's number
        }
        if (digits.Length != 9 || digits[0] is < '2' or > '9')
        {
            return false;
        }
        e164 = "+56" + digits;
        return true;
    }

    /// <summary>+56 9 1234 5678 (mobile), +56 2 2345 6789 (Santiago), +56 32 234 5678 (other area codes).</summary>
    public static string Format(string? e164)
    {
        if (string.IsNullOrEmpty(e164))
        {
            return string.Empty;
        }
        if (!TryNormalize(e164, out var normalized))
        {
            return e164;
        }
        var n = normalized[3..];
        return n[0] is '9' or '2'
            ? $"+56 {n[0]} {n[1..5]} {n[5..]}"
            : $"+56 {n[..2]} {n[2..5]} {n[5..]}";
    }
}
