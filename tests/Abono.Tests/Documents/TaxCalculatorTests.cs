using Abono.Web.Features.Documents;

namespace Abono.Tests.Documents;

public class TaxCalculatorTests
{
    private static DocumentTotals Compute(DocumentType type, params (long Qty, long Price, bool Exempt)[] lines) =>
        TaxCalculator.Compute(type, lines.Select(l => new LineAmount(l.Qty, l.Price, l.Exempt)));

    [Fact]
    public void Factura_adds_19_percent_iva_to_the_net() =>
        Assert.Equal(new DocumentTotals(1_000, 0, 190, 1_190), Compute(DocumentType.Factura, (2, 500, false)));

    [Theory]
    [InlineData(1_005, 191)]   // 190.95 rounds up
    [InlineData(1_002, 190)]   // 190.38 rounds down
    [InlineData(50, 10)]       // 9.5 rounds half up
    [InlineData(150, 29)]      // 28.5 rounds half up
    [InlineData(1, 0)]         // 0.19 rounds to zero
    [InlineData(3, 1)]         // 0.57
    public void Iva_rounds_half_up_once_per_document(long net, long expectedTax)
    {
        var totals = Compute(DocumentType.Factura, (1, net, false));
        Assert.Equal(expectedTax, totals.Tax);
        Assert.Equal(net + expectedTax, totals.Total);
    }

    [Fact]
    public void Iva_is_computed_on_the_sum_of_lines_not_per_line()
    {
        // Per line: 3 × round(1.9) = 6; on the sum (30 × 19%) = 5.7 → 6. With 7 lines of 10: 13.3 → 13, not 14.
        var totals = Compute(DocumentType.Factura, Enumerable.Repeat((1L, 10L, false), 7).ToArray());
        Assert.Equal(13, totals.Tax);
    }

    [Fact]
    public void Exempt_lines_carry_no_iva()
    {
        var totals = Compute(DocumentType.Factura, (1, 10_000, false), (2, 2_500, true));
        Assert.Equal(new DocumentTotals(10_000, 5_000, 1_900, 16_900), totals);
    }

    [Theory]
    [InlineData(DocumentType.FacturaExenta)]
    [InlineData(DocumentType.BoletaExenta)]
    public void Exempt_documents_have_no_iva_at_all(DocumentType type) =>
        Assert.Equal(new DocumentTotals(0, 7_000, 0, 7_000), Compute(type, (1, 7_000, false)));

    [Theory]
    [InlineData(1_190, 1_000, 190)]
    [InlineData(1_000, 840, 160)]   // 840.34 → 840
    [InlineData(5_990, 5_034, 956)] // 5033.61 → 5034
    [InlineData(1, 1, 0)]
    public void Boleta_prices_include_iva(long gross, long net, long tax)
    {
        var totals = Compute(DocumentType.Boleta, (1, gross, false));
        Assert.Equal(new DocumentTotals(net, 0, tax, gross), totals);
    }

    [Fact]
    public void Large_amounts_stay_exact_in_integer_pesos()
    {
        var totals = Compute(DocumentType.Factura, (100_000, 10_000_000_000, false));
        Assert.Equal(1_000_000_000_000_000, totals.Net);
        Assert.Equal(190_000_000_000_000, totals.Tax);
    }

    /// <summary>What the CSV import accepts as IVA is exactly what Abono itself computes: never one peso off.</summary>
    [Theory]
    [InlineData(DocumentType.Factura)]
    [InlineData(DocumentType.Boleta)]
    [InlineData(DocumentType.NotaDebito)]
    [InlineData(DocumentType.FacturaExenta)]
    public void IsTaxOf_accepts_every_computed_iva_and_nothing_one_peso_off(DocumentType type)
    {
        for (long amount = 1; amount <= 5_000; amount++)
        {
            var totals = Compute(type, (1, amount, false));
            Assert.True(TaxCalculator.IsTaxOf(type, totals.Net, totals.Tax), $"{type} {amount}: {totals}");
            if (!type.PricesIncludeTax())
            {
                Assert.False(TaxCalculator.IsTaxOf(type, totals.Net, totals.Tax + 1));
                Assert.False(TaxCalculator.IsTaxOf(type, totals.Net, totals.Tax - 1));
            }
        }
    }
}
