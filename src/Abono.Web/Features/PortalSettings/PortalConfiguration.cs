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

    /// <summary>Abonos parciales: the customer may pay less than the selected total, down to a minimum.</summary>
    public bool AllowPartialPayments { get; set; }
    public long MinimumPartialAmount { get; set; } = 1_000;

    /// <summary>How long a customer link works after it is created; 0 means until it is regenerated.</summary>
    public int CustomerLinkValidityDays { get; set; }

    /// <summary>Verificar con código: after RUT + email/phone, a one-time code sent to the customer's email.</summary>
    public bool VerifyWithCode { get; set; }
}
