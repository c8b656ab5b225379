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
    // Every common way of writing one (issue 18): the form's own example, parentheses, dashes, dots, the old 0 prefix.
    [InlineData("+56 9 1234 5678", "+56912345678")]
    [InlineData("+56912345678", "+56912345678")]
    [InlineData("9-1234-5678", "+56912345678")]
    [InlineData("(9) 1234 5678", "+56912345678")]
    [InlineData("09 1234 5678", "+56912345678")]
    [InlineData("0056 9 1234 5678", "+56912345678")]
    [InlineData("+56 (2) 2345-6789", "+56223456789")]
    [InlineData("(32) 234 5678", "+56322345678")]
    [InlineData("56 41 223 4567", "+56412234567")]
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
    [InlineData("1 2345 6789")]
    [InlineData("+54 9 11 2345 6789")]
    [InlineData("9 1234 5678 ext 2")]
    [InlineData("9+12345678")]
    [InlineData("9 1234 5678 9999 9999 9999 9999 9999")]
    public void Rejects_numbers_that_are_not_valid_in_chile(string? input) =>
        Assert.False(ChileanPhone.TryNormalize(input, out _));

    [Theory]
    [InlineData("+56961234567", "+56 9 6123 4567")]
    [InlineData("+56912345678", "+56 9 1234 5678")]
    [InlineData("+56223456789", "+56 2 2345 6789")]
    [InlineData("+56322345678", "+56 32 234 5678")]
    public void Formats_for_people(string e164, string shown) =>
        Assert.Equal(shown, ChileanPhone.Format(e164));
}
