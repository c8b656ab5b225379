using System.Globalization;
using System.Text.RegularExpressions;

namespace Abono.Web.Features.PortalSettings;

/// <summary>
/// The business's accent colour. Payer pages put white text on it (top bar, the Pagar button), so a colour is only
/// accepted when white on it reaches WCAG 2.x AA for normal text (contrast ratio ≥ 4.5:1). The darker shade used
/// for hover and the navigation strip is derived from it, so it always passes too.
/// </summary>
public static partial class AccentColor
{
    public const string Default = "#0b5cad";
    public const double MinimumContrast = 4.5;

    [GeneratedRegex("^#?([0-9a-fA-F]{6})$")]
    private static partial Regex HexPattern();

    /// <summary>"#rrggbb" in lower case, or null when the text is not a 6-digit hex colour.</summary>
    public static string? Normalize(string? input)
    {
        var match = HexPattern().Match(input?.Trim() ?? "");
        return match.Success ? "#" + match.Groups[1].Value.ToLowerInvariant() : null;
    }

    /// <summary>Contrast ratio of white text on the colour, per WCAG 2.x's relative luminance.</summary>
    public static double ContrastWithWhite(string hex)
    {
        var (r, g, b) = Channels(hex);
        var luminance = 0.2126 * Linear(r) + 0.7152 * Linear(g) + 0.0722 * Linear(b);
        return (1.0 + 0.05) / (luminance + 0.05);
    }

    public static bool PassesAa(string hex) => ContrastWithWhite(hex) >= MinimumContrast;

    /// <summary>The colour darkened by a fifth: hover states and the second strip of the top bar.</summary>
    public static string Darker(string hex)
    {
        var (r, g, b) = Channels(hex);
        return string.Create(CultureInfo.InvariantCulture, $"#{(int)(r * 0.8):x2}{(int)(g * 0.8):x2}{(int)(b * 0.8):x2}");
    }

    /// <summary>"11, 92, 173": Bootstrap's *-rgb variables.</summary>
    public static string Rgb(string hex)
    {
        var (r, g, b) = Channels(hex);
        return string.Create(CultureInfo.InvariantCulture, $"{r}, {g}, {b}");
    }

    private static (int R, int G, int B) Channels(string hex)
    {
        var value = int.Parse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return ((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
    }

    private static double Linear(int channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
