using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Features.PortalSettings;

/// <summary>The seed's step 2: Nombre, Emisor and the public code of the company link.</summary>
public sealed class PortalConfiguration : ITenantOwned
{
    public Guid CompanyId { get; set; }

    /// <summary>Shown to payers as the portal's title.</summary>
    public required string Name { get; set; }

    /// <summary>Receives the receipt of every transaction.</summary>
    public required string IssuerEmail { get; set; }

    /// <summary>The unguessable part of the company link: /portal/{PublicCode}.</summary>
    public required string PublicCode { get; set; }
    public DateTime UpdatedAt { get; set; }
}
