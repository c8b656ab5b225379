using Abono.Web.Platform.Chile;

namespace Abono.Tests.Platform.Chile;

public class RutTests
{
    [Theory]
    [InlineData("12.345.678-5", "12345678-5", "12.345.678-5")]
    [InlineData("12345678-5", "12345678-5", "12.345.678-5")]
    [InlineData("123456785", "12345678-5", "12.345.678-5")]
    [InlineData(" 12.345.678-5 ", "12345678-5", "12.345.678-5")]
    [InlineData("11.111.111-1", "11111111-1", "11.111.111-1")]
    [InlineData("76.543.210-3", "76543210-3", "76.543.210-3")]
    [InlineData("7.654.321-6", "7654321-6", "7.654.321-6")]
    [InlineData("1-9", "1-9", "1-9")]
    public void Accepts_valid_ruts_in_every_format(string input, string normalized, string formatted)
    {
        Assert.True(Rut.TryParse(input, out var rut));
        Assert.Equal(normalized, rut.Normalized);
        Assert.Equal(formatted, rut.Formatted);
        Assert.Null(Rut.Validate(input));
    }

    [Theory]
    [InlineData("10.000.013-K")]
    [InlineData("10.000.013-k")]
    [InlineData("10000013k")]
    [InlineData("20.000.003-K")]
    [InlineData("6-K")]
    public void Accepts_check_digit_K_in_either_case(string input)
    {
        Assert.True(Rut.TryParse(input, out var rut));
        Assert.Equal('K', rut.CheckDigit);
        Assert.EndsWith("-K", rut.Normalized);
    }

    [Theory]
    [InlineData("10.000.004-0")]
    [InlineData("100000180")]
    [InlineData("10000021-0")]
    public void Accepts_check_digit_zero(string input)
    {
        Assert.True(Rut.TryParse(input, out var rut));
        Assert.Equal('0', rut.CheckDigit);
    }

    [Theory]
    [InlineData(12345678, '5')]
    [InlineData(11111111, '1')]
    [InlineData(10000013, 'K')]
    [InlineData(10000004, '0')]
    [InlineData(6, 'K')]
    public void Computes_modulo_11_check_digit(int body, char expected) =>
        Assert.Equal(expected, Rut.ComputeCheckDigit(body));

    [Theory]
    [InlineData("12.345.678-4", "dígito verificador")]
    [InlineData("12345678-K", "dígito verificador")]
    [InlineData("10.000.004-1", "dígito verificador")]
    [InlineData("", "Ingresa el RUT")]
    [InlineData("   ", "Ingresa el RUT")]
    [InlineData(null, "Ingresa el RUT")]
    [InlineData("abc", "formato")]
    [InlineData("12.345.678-55", "formato")]
    [InlineData("1234.5678-5", "formato")]
    [InlineData("12-345-678-5", "formato")]
    [InlineData("12.34.5678-5", "formato")]
    [InlineData("0-0", "formato")]
    [InlineData("123456789012-3", "formato")]
    [InlineData("12.345.678-X", "formato")]
    [InlineData("12,345,678-5", "formato")]
    public void Rejects_invalid_ruts_with_a_spanish_reason(string? input, string reason)
    {
        Assert.False(Rut.TryParse(input, out _));
        Assert.Contains(reason, Rut.Validate(input));
    }

    [Fact]
    public void Format_leaves_unparsable_values_as_they_are() =>
        Assert.Equal("no-rut", Rut.Format("no-rut"));
}
