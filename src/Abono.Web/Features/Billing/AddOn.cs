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
