using System.Globalization;

namespace Abono.Web.Features.Portal;

/// <summary>
/// Ids in payer URLs are parsed by the page, not by a route constraint: a URL no route matches falls to the app's
/// sign-in fallback (a redirect to the back office's login), while a payer with a mistyped or forged id should get a
/// plain 404.
/// </summary>
public static class PortalIds
{
    /// <summary>Digits only, positive, within a long; anything else (signs, spaces, hex, exponents, overflow) is no id.</summary>
    public static bool TryParse(string? value, out long id) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
}
