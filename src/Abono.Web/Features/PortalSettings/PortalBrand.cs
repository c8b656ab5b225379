using Abono.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PortalSettings;

/// <summary>
/// How the business shows itself to its payers, on every payer surface (portal pages, receipt page, PDFs, emails):
/// the portal's name, its logo, its accent colour and the contact payers can reach. Contact fields left empty in
/// Configuración → Portal de pagos fall back to the company's own data.
/// </summary>
public sealed record PortalBrand(
    string Name, string CompanyName, string CompanyRut, string PublicCode, string Accent, string? Email, string? Phone, string? Address,
    int LogoVersion)
{
    public bool HasLogo => LogoVersion > 0;

    /// <summary>Relative URL of the logo (changes with each upload, so it can be cached for long); null without one.</summary>
    public string? LogoPath => HasLogo ? $"/portal/{PublicCode}/logo?v={LogoVersion}" : null;

    public string AccentDark => AccentColor.Darker(Accent);
    public string AccentRgb => AccentColor.Rgb(Accent);

    public static PortalBrand From(PortalConfiguration portal, string companyName, string companyRut, string companyEmail, string? companyAddress) =>
        new(portal.Name, companyName, companyRut, portal.PublicCode,
            AccentColor.Normalize(portal.AccentColor) ?? AccentColor.Default,
            Blank(portal.ContactEmail) ?? Blank(companyEmail),
            Blank(portal.ContactPhone),
            Blank(portal.ContactAddress) ?? Blank(companyAddress),
            portal.LogoVersion);

    /// <summary>The brand of a company (its portal's name, or the company's when it has no portal yet); null for an unknown company.</summary>
    public static async Task<PortalBrand?> LoadAsync(AbonoDbContext db, Guid companyId, CancellationToken ct)
    {
        var row = await db.Companies.AsNoTracking().Where(c => c.Id == companyId)
            .Select(c => new
            {
                c.LegalName, c.Rut, c.Email, c.Address,
                Portal = db.PortalConfigurations.IgnoreQueryFilters().FirstOrDefault(p => p.CompanyId == c.Id),
            })
            .SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        return Of(row.Portal, row.LegalName, row.Rut, row.Email, row.Address);
    }

    /// <summary>The brand from a company's data and its portal, if it has one (for queries that read both with more).</summary>
    public static PortalBrand Of(PortalConfiguration? portal, string legalName, string rut, string email, string? address) =>
        portal is null
            ? new PortalBrand(legalName, legalName, rut, "", AccentColor.Default, Blank(email), null, Blank(address), 0)
            : From(portal, legalName, rut, email, address);

    /// <summary>The logo's PNG bytes (for PDFs and inline email images); null without a logo.</summary>
    public static async Task<byte[]?> LogoAsync(AbonoDbContext db, Guid companyId, CancellationToken ct) =>
        await db.PortalLogos.IgnoreQueryFilters().AsNoTracking().Where(l => l.CompanyId == companyId).Select(l => l.Png).SingleOrDefaultAsync(ct);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
