using System.Globalization;

namespace Abono.Web.Platform.Chile;

/// <summary>How Chilean users read numbers, money and dates: $1.234.567 and 28-11-2026.</summary>
public static class ChileFormats
{
    public static readonly CultureInfo Culture = CreateCulture();

    public static readonly NumberFormatInfo Numbers = Culture.NumberFormat;

    public const string DateFormat = "dd-MM-yyyy";

    public static TimeZoneInfo TimeZone { get; } = FindTimeZone();

    /// <summary>Pesos have no decimals: $1.234.567, -$5.000.</summary>
    public static string Clp(long amount) =>
        // Formatted straight into the result (one string, not two): the payer's page writes dozens of these.
        amount < 0
            ? string.Create(Numbers, $"-${-amount:#,0}")
            : string.Create(Numbers, $"${amount:#,0}");

    /// <summary>
    /// Whole pesos as people type them: "500000", "500.000", "$ 500.000". Refuses decimals ("500,5"), signs, letters
    /// and amounts beyond a trillion pesos.
    /// </summary>
    public static bool TryParsePesos(string? text, out long amount)
    {
        amount = 0;
        var cleaned = (text ?? "").Trim().TrimStart('$').Replace(" ", "").Replace("\u00a0", "");
        if (cleaned.Length is 0 or > 17 || !cleaned.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return false;
        }
        if (cleaned.Contains('.') && !System.Text.RegularExpressions.Regex.IsMatch(cleaned, @"^\d{1,3}(\.\d{3})+$"))
        {
            return false;
        }
        return long.TryParse(cleaned.Replace(".", ""), NumberStyles.None, CultureInfo.InvariantCulture, out amount) && amount <= 1_000_000_000_000;
    }

    public static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static string DateTime(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone)
            .ToString(DateFormat + " HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Today in Chile (documents are dated by the Chilean calendar, not UTC).</summary>
    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZone).DateTime);

    private static CultureInfo CreateCulture()
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo("es-CL").Clone();
        culture.NumberFormat.NumberGroupSeparator = ".";
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.CurrencyGroupSeparator = ".";
        culture.NumberFormat.CurrencySymbol = "$";
        culture.NumberFormat.CurrencyDecimalDigits = 0;
        culture.DateTimeFormat.ShortDatePattern = DateFormat;
        return CultureInfo.ReadOnly(culture);
    }

    private static TimeZoneInfo FindTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
