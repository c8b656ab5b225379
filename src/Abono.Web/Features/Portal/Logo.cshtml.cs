using Abono.Web.Data;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>
/// The portal's logo, as Abono re-encoded it. Its URL carries the logo's version, so a response can be cached for
/// a year: a new upload changes the URL.
/// </summary>
public sealed class LogoModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock) : PortalPageModel(db, tenant, clock)
{
    public async Task<IActionResult> OnGetAsync(int? v, CancellationToken ct)
    {
        if (!await LoadPortalAsync(ct) || Portal!.LogoVersion == 0)
        {
            return NotFound();
        }
        var png = await Db.PortalLogos.AsNoTracking().Select(l => l.Png).SingleOrDefaultAsync(ct);
        if (png is null)
        {
            return NotFound();
        }
        Response.Headers.Pragma = default;
        Response.Headers.CacheControl = v == Portal.LogoVersion ? "public, max-age=31536000, immutable" : "no-cache";
        Response.Headers["X-Content-Type-Options"] = "nosniff";
        return File(png, "image/png");
    }
}
