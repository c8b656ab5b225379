using Abono.Web.Platform.Tenancy;

namespace Abono.Web.Features.PortalSettings;

/// <summary>Step 2 of the product (docs/product.md): Nombre, Emisor and the public code of the company link.</summary>
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

    /// <summary>The business's colour on payer pages, "#rrggbb"; white text on it meets WCAG AA (see <see cref="AccentColor"/>). Null: Abono's blue.</summary>
    public string? AccentColor { get; set; }

    /// <summary>Contact shown to payers; null falls back to the company's own (see <see cref="PortalBrand"/>).</summary>
    public string? ContactEmail { get; set; }
    public string? ContactPhone { get; set; }
    public string? ContactAddress { get; set; }

    /// <summary>0: no logo. Otherwise bumps on every upload, so the logo's URL changes and caches can keep it for long.</summary>
    public int LogoVersion { get; set; }
}

/// <summary>The portal's logo as Abono re-encoded it (PNG); kept apart so portal pages never load the bytes.</summary>
public sealed class PortalLogo : ITenantOwned
{
    public Guid CompanyId { get; set; }
    public required byte[] Png { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public DateTime UpdatedAt { get; set; }
}
