using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.BankTransfer.Cartola;

/// <summary>One credit (abono) of a cartola, with the fingerprint that identifies it across uploads.</summary>
public sealed record ParsedCredit(int Row, DateOnly Date, long Amount, string Description, string? SenderRut, string? SenderName, string? Reference,
    string Fingerprint);

public sealed record ParsedCartola(List<ParsedCredit> Credits, int Rows, List<string> Warnings);

/// <summary>
/// Turns a cartola's rows into credits. Cargos, empty rows, balances and totals are skipped; a row that has a credit
/// but an unreadable date or amount is reported (by its row number) rather than guessed.
/// </summary>
public static partial class CartolaParser
{
    private const int MaxWarnings = 20;

    public static ParsedCartola Parse(IReadOnlyList<string[]> rows, ColumnMapping map)
    {
        var credits = new List<ParsedCredit>();
        var warnings = new List<string>();
        var occurrences = new Dictionary<string, int>();
        var dataRows = 0;
        for (var r = map.HeaderRow + 1; r < rows.Count; r++)
        {
            var row = rows[r];
            string? At(int? column) => column is { } c && c < row.Length && row[c].Length > 0 ? row[c] : null;
            var amountText = At(map.Credit);
            var dateText = At(map.Date);
            if (amountText is null && dateText is null)
            {
                continue;
            }
            dataRows++;
            if (amountText is null || IsZero(amountText))
            {
                continue;
            }
            if (!TryParseAmount(amountText, out var amount))
            {
                Warn(warnings, r, $"el monto «{Short(amountText)}» no se pudo leer");
                continue;
            }
            var flag = At(map.CreditFlag);
            if (amount <= 0 || (flag is not null && !flag.StartsWith('A') && !flag.StartsWith('a')))
            {
                continue;   // a cargo
            }
            if (!TryParseDate(dateText, out var date))
            {
                // Totals and balance rows at the end carry an amount but no date: not a movement.
                if (dateText is not null)
                {
                    Warn(warnings, r, $"la fecha «{Short(dateText)}» no se pudo leer (usa dd-mm-aaaa)");
                }
                continue;
            }
            var description = Cut(At(map.Description) ?? "", 300);
            var reference = At(map.Reference) is { } rf && !rf.All(c => c == '0') ? Cut(rf, 100) : null;
            var rut = (At(map.Rut) is { } rutText && Rut.TryParse(rutText, out var parsed) ? parsed : FindRut(description))?.Normalized;
            var name = At(map.Name) is { } n ? Cut(n, 100) : null;
            credits.Add(new ParsedCredit(r + 1, date, amount, description, rut, name, reference, Fingerprint(date, amount, description, reference, rut, occurrences)));
        }
        return new ParsedCartola(credits, dataRows, warnings);
    }

    /// <summary>
    /// SHA-256 (hex) over what the bank says about the credit, plus how many identical credits of that day came
    /// before it in this file: two equal transfers on one day are two credits, and the same file (or a later one
    /// overlapping its period) gives each the same fingerprint again.
    /// </summary>
    public static string Fingerprint(DateOnly date, long amount, string description, string? reference, string? rut, Dictionary<string, int> occurrences)
    {
        var key = string.Join('\u001f', date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), amount.ToString(CultureInfo.InvariantCulture),
            NormalizeDescription(description), reference?.Trim().ToUpperInvariant() ?? "", rut ?? "");
        var index = occurrences.TryGetValue(key, out var seen) ? seen : 0;
        occurrences[key] = index + 1;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\u001f{index}")));
    }

    /// <summary>Spacing and case differ between a bank's CSV and its Excel of the same period; the words do not.</summary>
    private static string NormalizeDescription(string description) => Spaces().Replace(description.Trim().ToUpperInvariant(), " ");

    /// <summary>"$1.234.567", "1.234.567", "1234567", "-5.000", "(5.000)", "1,234,567", "1.234.567,00": whole pesos; a fraction of a peso is refused.</summary>
    public static bool TryParseAmount(string text, out long amount)
    {
        amount = 0;
        var cleaned = text.Replace("$", "").Replace(" ", "").Replace("\u00a0", "").Replace("CLP", "", StringComparison.OrdinalIgnoreCase);
        var negative = false;
        if (cleaned.StartsWith('(') && cleaned.EndsWith(')'))
        {
            negative = true;
            cleaned = cleaned[1..^1];
        }
        if (cleaned.StartsWith('-'))
        {
            negative = true;
            cleaned = cleaned[1..];
        }
        else if (cleaned.EndsWith('-'))
        {
            negative = true;
            cleaned = cleaned[..^1];
        }
        cleaned = cleaned.TrimStart('+');
        string digits;
        if (CommaThousands().IsMatch(cleaned))
        {
            // "150,000" is a hundred and fifty thousand written the US way: pesos have no three-digit decimals.
            digits = cleaned.Replace(",", "");
        }
        else if (ChileanAmount().Match(cleaned) is { Success: true } chilean)
        {
            digits = chilean.Groups["int"].Value.Replace(".", "");
            if (chilean.Groups["dec"].Value.Trim(',', '0').Length > 0)
            {
                return false;
            }
        }
        else if (UsAmount().Match(cleaned) is { Success: true } us)
        {
            digits = us.Groups["int"].Value.Replace(",", "");
            if (us.Groups["dec"].Value.Trim('.', '0').Length > 0)
            {
                return false;
            }
        }
        else
        {
            return false;
        }
        if (digits.Length is 0 or > 13 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out amount))
        {
            return false;
        }
        amount = negative ? -amount : amount;
        return true;
    }

    private static bool IsZero(string text) => text.Trim().Trim('$', ' ').All(c => c is '0' or '.' or ',' or '-');

    /// <summary>dd-MM-yyyy, dd/MM/yyyy (one-digit day or month too), dd-MM-yy, and yyyy-MM-dd.</summary>
    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var value = text.Trim();
        if (value.Length > 10 && value[10] == ' ')
        {
            value = value[..10];   // "02-12-2024 00:00:00"
        }
        string[] formats = ["d-M-yyyy", "d/M/yyyy", "d.M.yyyy", "d-M-yy", "d/M/yy", "yyyy-M-d"];
        return DateOnly.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date.Year is > 2000 and < 2100;
    }

    /// <summary>The first valid RUT written in a description ("TRANSF DE 76.123.456-7 COMERCIAL…"): banks rarely give it a column.</summary>
    public static Rut? FindRut(string description)
    {
        foreach (Match m in RutInText().Matches(description))
        {
            if (Rut.TryParse(m.Groups[1].Value, out var rut) && rut.Body >= 1_000_000)
            {
                return rut;
            }
        }
        return null;
    }

    private static void Warn(List<string> warnings, int row, string message)
    {
        if (warnings.Count < MaxWarnings)
        {
            warnings.Add($"Fila {row + 1}: {message}.");
        }
    }

    private static string Short(string text) => text.Length > 30 ? text[..30] + "…" : text;

    private static string Cut(string text, int max) => text.Length > max ? text[..max] : text;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^\d{1,3}(,\d{3})+$")]
    private static partial Regex CommaThousands();

    [GeneratedRegex(@"^(?<int>\d{1,3}(\.\d{3})+|\d+)(?<dec>,\d+)?$")]
    private static partial Regex ChileanAmount();

    [GeneratedRegex(@"^(?<int>\d{1,3}(,\d{3})+|\d+)(?<dec>\.\d{1,2})?$")]
    private static partial Regex UsAmount();

    // Some banks pad the RUT to ten digits ("096689310-9").
    [GeneratedRegex(@"(?<![\d.])0*(\d{1,2}\.?\d{3}\.?\d{3}-[\dkK])(?![\dA-Za-z])")]
    private static partial Regex RutInText();
}
