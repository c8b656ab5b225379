using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.PortalSettings;

public class AccentColorTests
{
    [Theory]
    [InlineData("#ffffff", 1.0)]
    [InlineData("#000000", 21.0)]
    [InlineData("#767676", 4.54)] // the lightest grey that passes AA on white
    [InlineData("#0b5cad", 6.7)]
    public void Contrast_with_white_follows_the_WCAG_formula(string hex, double expected) =>
        Assert.Equal(expected, AccentColor.ContrastWithWhite(hex), 1);

    [Theory]
    [InlineData("#767676", true)]
    [InlineData("#777777", false)]
    [InlineData("#ffd700", false)]
    [InlineData("#7a1f5c", true)]
    public void Only_colours_white_text_meets_AA_on_are_accepted(string hex, bool passes) =>
        Assert.Equal(passes, AccentColor.PassesAa(hex));

    [Theory]
    [InlineData("#7A1F5C", "#7a1f5c")]
    [InlineData("7a1f5c", "#7a1f5c")]
    [InlineData(" #7a1f5c ", "#7a1f5c")]
    [InlineData("#7a1f5", null)]
    [InlineData("red", null)]
    [InlineData("#7a1f5c;}</style>", null)]
    [InlineData(null, null)]
    public void Only_six_digit_hex_colours_are_read(string? input, string? expected) =>
        Assert.Equal(expected, AccentColor.Normalize(input));

    [Fact]
    public void The_darker_shade_still_passes() =>
        Assert.True(AccentColor.PassesAa(AccentColor.Darker("#767676")));
}

public class PesoInputTests
{
    [Theory]
    [InlineData("500000", 500_000L)]
    [InlineData("500.000", 500_000L)]
    [InlineData("$ 500.000", 500_000L)]
    [InlineData("$1.234.567", 1_234_567L)]
    [InlineData(" 20000 ", 20_000L)]
    public void Pesos_are_read_as_people_type_them(string text, long expected)
    {
        Assert.True(ChileFormats.TryParsePesos(text, out var amount));
        Assert.Equal(expected, amount);
    }

    [Theory]
    [InlineData("500,5")]
    [InlineData("-500")]
    [InlineData("5.00")]
    [InlineData("1e6")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("99999999999999999")]
    public void Anything_else_is_refused(string? text) =>
        Assert.False(ChileFormats.TryParsePesos(text, out _));
}
