namespace Abono.Web.Features.Documents;

public readonly record struct LineAmount(long Quantity, long UnitPrice, bool IsExempt)
{
    public long Amount => Quantity * UnitPrice;
}

public readonly record struct DocumentTotals(long Net, long Exempt, long Tax, long Total);

/// <summary>Neto, exento, IVA and total in whole pesos, rounding half up once per document as the SII does.</summary>
public static class TaxCalculator
{
    public const int VatPercent = 19;

    public static DocumentTotals Compute(DocumentType type, IEnumerable<LineAmount> lines)
    {
        long taxable = 0;
        long exempt = 0;
        foreach (var line in lines)
        {
            if (line.IsExempt || type.IsExempt())
            {
                exempt = checked(exempt + line.Amount);
            }
            else
            {
                taxable = checked(taxable + line.Amount);
            }
        }

        if (type.PricesIncludeTax())
        {
            // Boleta prices already include IVA: split the gross amount back into neto + IVA.
            var net = RoundHalfUp(taxable * 100, 100 + VatPercent);
            return new DocumentTotals(net, exempt, taxable - net, taxable + exempt);
        }

        var tax = RoundHalfUp(taxable * VatPercent, 100);
        return new DocumentTotals(taxable, exempt, tax, checked(taxable + tax + exempt));
    }

    /// <summary>
    /// Whether <paramref name="tax"/> is the IVA of <paramref name="net"/> as this calculator rounds it: 19 % of neto
    /// rounded half up, or, for a boleta (prices with IVA included), the IVA split back out of neto + IVA. Exempt
    /// documents carry no IVA. For documents made elsewhere (the CSV import), so they add up as Abono's own do.
    /// </summary>
    public static bool IsTaxOf(DocumentType type, long net, long tax)
    {
        if (type.IsExempt())
        {
            return tax == 0;
        }
        if (net < 0 || tax < 0)
        {
            return false;
        }
        return tax == RoundHalfUp(net * VatPercent, 100)
            || (type.PricesIncludeTax() && RoundHalfUp((net + tax) * 100, 100 + VatPercent) == net);
    }

    /// <summary>numerator / denominator rounded half up, for non-negative integers.</summary>
    public static long RoundHalfUp(long numerator, long denominator) =>
        (2 * numerator + denominator) / (2 * denominator);
}
