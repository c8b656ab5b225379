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
        amount < 0
            ? "-$" + (-amount).ToString("#,0", Numbers)
            : "$" + amount.ToString("#,0", Numbers);

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
