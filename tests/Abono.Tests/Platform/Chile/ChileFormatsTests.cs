using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;

namespace Abono.Tests.Platform.Chile;

public class ChileFormatsTests
{
    [Theory]
    [InlineData(0, "$0")]
    [InlineData(990, "$990")]
    [InlineData(1_234_567, "$1.234.567")]
    [InlineData(-5_000, "-$5.000")]
    public void Money_is_pesos_without_decimals(long amount, string expected) =>
        Assert.Equal(expected, ChileFormats.Clp(amount));

    [Fact]
    public void Dates_are_day_month_year() =>
        Assert.Equal("05-03-2026", ChileFormats.Date(new DateOnly(2026, 3, 5)));

    [Theory]
    [InlineData("pagos@cliente.cl", true)]
    [InlineData("nombre.apellido+tag@sub.empresa.cl", true)]
    [InlineData("sin-arroba.cl", false)]
    [InlineData("a@b", false)]
    [InlineData("Nombre <a@b.cl>", false)]
    [InlineData(" a@b.cl", false)]
    [InlineData("a b@c.cl", false)]
    [InlineData("", false)]
    public void Emails_must_be_plain_addresses(string value, bool valid) =>
        Assert.Equal(valid, Rules.IsValidEmail(value));
}
