using Abono.Web.Features.Companies;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

internal sealed class PortalConfigurationConfiguration : IEntityTypeConfiguration<PortalConfiguration>
{
    public void Configure(EntityTypeBuilder<PortalConfiguration> b)
    {
        b.HasKey(x => x.CompanyId);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.IssuerEmail).HasMaxLength(254);
        b.Property(x => x.PublicCode).HasMaxLength(32);
        b.HasIndex(x => x.PublicCode).IsUnique();
        b.Property(x => x.AccentColor).HasMaxLength(7);
        b.Property(x => x.ContactEmail).HasMaxLength(254);
        b.Property(x => x.ContactPhone).HasMaxLength(20);
        b.Property(x => x.ContactAddress).HasMaxLength(200);
        b.HasOne<Company>().WithOne().HasForeignKey<PortalConfiguration>(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}
