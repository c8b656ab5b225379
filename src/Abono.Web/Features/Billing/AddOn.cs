using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abono.Web.Features.Billing;

/// <summary>A service a company can add to its plan (Mi cuenta → Agregar servicios a mi plan). Priced by the platform operator.</summary>
public sealed class AddOn
{
    public const string PortalDePagos = "portal-de-pagos";

    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }

    /// <summary>Whole pesos per month, IVA included.</summary>
    public long MonthlyPrice { get; set; }
    public bool IsBeta { get; set; }
}

internal sealed class AddOnConfiguration : IEntityTypeConfiguration<AddOn>
{
    public void Configure(EntityTypeBuilder<AddOn> b)
    {
        b.HasKey(x => x.Code);
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Description).HasMaxLength(500);
        b.HasData(new AddOn
        {
            Code = AddOn.PortalDePagos,
            Name = "Portal de pagos",
            Description = "Un enlace para que tus clientes paguen en línea sus documentos pendientes con las pasarelas que configures.",
            MonthlyPrice = 9_990,
            IsBeta = true,
        });
    }
}
