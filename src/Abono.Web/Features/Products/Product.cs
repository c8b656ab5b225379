using Abono.Web.Features.Companies;
using Abono.Web.Features.Documents;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.HasIndex(x => new { x.CompanyId, x.Code }).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}
