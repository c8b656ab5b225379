using PhoneNumbers;

namespace Abono.Web.Platform.Chile;

/// <summary>Chilean phone numbers, normalized to E.164 (+56912345678) with libphonenumber.</summary>
public static class ChileanPhone
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static bool TryNormalize(string? input, out string e164)
    {
        e164 = string.Empty;
        if (string.IsNullOrWhiteSpace(input) || input.Length > 30)
        {
            return false;
        }
        try
        {
            var number = Util.Parse(input, "CL");
            if (!Util.IsValidNumberForRegion(number, "CL"))
            {
                return false;
            }
            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>+56 9 1234 5678, for people to read.</summary>
    public static string Format(string? e164)
    {
        if (string.IsNullOrEmpty(e164))
        {
            return string.Empty;
        }
        try
        {
            return Util.Format(Util.Parse(e164, "CL"), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }
}
