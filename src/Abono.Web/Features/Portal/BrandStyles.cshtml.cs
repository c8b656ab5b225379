using Abono.Web.Data;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Abono.Web.Features.Portal;

/// <summary>
/// The business's accent colour as CSS variables. A stylesheet rather than an inline style because the CSP allows
/// styles from 'self' only; the colour is validated hex (AccentColor), so nothing a tenant typed reaches the CSS as is.
/// The URL carries the colour, so a response can be cached for long.
/// </summary>
public sealed class BrandStylesModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock) : PortalPageModel(db, tenant, clock)
{
    public async Task<IActionResult> OnGetAsync(string? c, CancellationToken ct)
    {
        if (!await LoadPortalAsync(ct))
        {
            return NotFound();
        }
        var brand = Brand!;
        Response.Headers.Pragma = default;
        Response.Headers.CacheControl = c == brand.Accent.TrimStart('#') ? "public, max-age=31536000, immutable" : "no-cache";
        var css = $$"""
            :root {
              --abono-primary: {{brand.Accent}};
              --abono-primary-dark: {{brand.AccentDark}};
              --bs-primary: {{brand.Accent}};
              --bs-primary-rgb: {{brand.AccentRgb}};
              --bs-link-color: {{brand.Accent}};
              --bs-link-color-rgb: {{brand.AccentRgb}};
              --bs-link-hover-color: {{brand.AccentDark}};
            }
            """;
        return Content(css, "text/css; charset=utf-8");
    }
}
