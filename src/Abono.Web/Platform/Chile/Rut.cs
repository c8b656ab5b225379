using System.Diagnostics.CodeAnalysis;

namespace Abono.Web.Platform.Chile;

/// <summary>
/// A Chilean RUT (Rol Único Tributario). Stored normalized as "12345678-5" (no dots, upper-case K);
/// shown as "12.345.678-5".
/// </summary>
public readonly record struct Rut
{
    public const int MaxBody = 99_999_999;

    private Rut(int body, char checkDigit)
    {
        Body = body;
        CheckDigit = checkDigit;
    }

    public int Body { get; }
    public char CheckDigit { get; }

    /// <summary>The storage form: digits, a dash and the check digit.</summary>
    public string Normalized => $"{Body}-{CheckDigit}";

    /// <summary>The display form used across the UI: 12.345.678-5.</summary>
    public string Formatted => $"{Body.ToString("#,0", ChileFormats.Numbers)}-{CheckDigit}";

    public override string ToString() => Formatted;

    public static char ComputeCheckDigit(int body)
    {
        // Módulo 11 with the weights 2..7 cycling from the rightmost digit.
        var sum = 0;
        var weight = 2;
        for (var n = body; n > 0; n /= 10)
        {
            sum += n % 10 * weight;
            weight = weight == 7 ? 2 : weight + 1;
        }
        var digit = 11 - sum % 11;
        return digit switch
        {
            11 => '0',
            10 => 'K',
            _ => (char)('0' + digit),
        };
    }

    /// <summary>
    /// Accepts "12.345.678-5", "12345678-5", "123456785", "12 345 678-5" and lower-case "k".
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? input, out Rut rut)
    {
        rut = default;
        if (string.IsNullOrWhiteSpace(input) || input.Length > 20)
        {
            return false;
        }
        Span<char> chars = stackalloc char[input.Length];
        var count = 0;
        foreach (var c in input.Trim())
        {
            if (c is '.' or ' ' or '-')
            {
                continue;
            }
            chars[count++] = char.ToUpperInvariant(c);
        }
        if (count < 2 || count > 9)
        {
            return false;
        }
        var check = chars[count - 1];
        if (!(char.IsAsciiDigit(check) || check == 'K'))
        {
            return false;
        }
        var body = 0;
        for (var i = 0; i < count - 1; i++)
        {
            if (!char.IsAsciiDigit(chars[i]))
            {
                return false;
            }
            body = body * 10 + (chars[i] - '0');
        }
        if (body < 1 || body > MaxBody || ComputeCheckDigit(body) != check)
        {
            return false;
        }
        if (!HasValidSeparators(input.Trim()))
        {
            return false;
        }
        rut = new Rut(body, check);
        return true;
    }

    public static Rut Parse(string input) =>
        TryParse(input, out var rut) ? rut : throw new FormatException("RUT inválido.");

    /// <summary>Formats a stored RUT for display; leaves anything unparsable as it is.</summary>
    public static string Format(string? stored) =>
        TryParse(stored, out var rut) ? rut.Formatted : stored ?? string.Empty;

    /// <summary>Explains what is wrong with an input, in the words the forms show.</summary>
    public static string? Validate(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return "Ingresa el RUT.";
        }
        if (TryParse(input, out _))
        {
            return null;
        }
        var compact = input.Replace(".", "").Replace("-", "").Replace(" ", "").Trim();
        if (compact.Length is >= 2 and <= 9
            && compact[..^1].All(char.IsAsciiDigit)
            && compact[..^1].Any(c => c != '0')
            && (char.IsAsciiDigit(compact[^1]) || compact[^1] is 'k' or 'K')
            && HasValidSeparators(input.Trim()))
        {
            return "El dígito verificador del RUT no es correcto.";
        }
        return "El RUT no tiene un formato válido (ejemplo: 12.345.678-5).";
    }

    // A dash may only stand before the check digit; dots only group thousands.
    private static bool HasValidSeparators(string input)
    {
        var dash = input.IndexOf('-');
        if (dash >= 0 && (dash != input.Length - 2 || input.LastIndexOf('-') != dash))
        {
            return false;
        }
        if (input.Contains('.'))
        {
            var body = dash >= 0 ? input[..dash] : input[..^1];
            var groups = body.Split('.');
            if (groups[0].Length is 0 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
            {
                return false;
            }
        }
        return true;
    }
}
