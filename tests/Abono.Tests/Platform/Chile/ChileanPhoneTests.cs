using Abono.Web.Platform.Chile;

namespace Abono.Tests.Platform.Chile;

public class ChileanPhoneTests
{
    [Theory]
    [InlineData("+56961234567", "+56961234567")]
    [InlineData("+56 9 6123 4567", "+56961234567")]
    [InlineData("9 6123 4567", "+56961234567")]
    [InlineData("961234567", "+56961234567")]
    [InlineData("56961234567", "+56961234567")]
    [InlineData("(+56) 9-9345-6789", "+56993456789")]
    [InlineData("2 2123 4567", "+56221234567")]
    [InlineData("+56 2 2123 4567", "+56221234567")]
    public void Normalizes_chilean_numbers_to_e164(string input, string expected)
    {
        Assert.True(ChileanPhone.TryNormalize(input, out var e164));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("123")]
    [InlineData("abc")]
    [InlineData("+1 202 555 0100")]
    [InlineData("+56 9 6123 456")]
    [InlineData("+56 9 1234 5678")] // 9 1xxx xxxx is not an assigned mobile range
    [InlineData("9 1234 5678 9999 9999 9999 9999 9999")]
    public void Rejects_numbers_that_are_not_valid_in_chile(string? input) =>
        Assert.False(ChileanPhone.TryNormalize(input, out _));

    [Fact]
    public void Formats_for_people() =>
        Assert.Equal("+56 9 6123 4567", ChileanPhone.Format("+56961234567"));
}
