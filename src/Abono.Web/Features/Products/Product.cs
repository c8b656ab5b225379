using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Features.Products;

/// <summary>An item of the small catalogue that Punto de venta sells from.</summary>
public sealed class Product : ITenantOwned
{
    public long Id { get; set; }
    public Guid CompanyId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }

    /// <summary>Whole pesos. Net for facturas; boletas treat prices as IVA-included (see TaxCalculator).</summary>
    public long UnitPrice { get; set; }
    public bool IsExempt { get; set; }
    public bool IsActive { get; set; } = true;
}
