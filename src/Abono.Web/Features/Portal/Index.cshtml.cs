using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Platform.Chile;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>The company link. Without an active Portal de pagos service it shows "Portal no disponible" and no data.</summary>
[AllowAnonymous]
public sealed class IndexModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    public string? PortalName { get; private set; }
    public string? CompanyName { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        var portal = code.Length > 32 ? null : await PortalAccess.FindActiveAsync(db, code, ChileFormats.Today(clock), ct);
        if (portal is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        PortalName = portal.Name;
        CompanyName = await db.Companies.AsNoTracking().Where(c => c.Id == portal.CompanyId).Select(c => c.LegalName).SingleAsync(ct);
        return Page();
    }
}

public static class PortalAccess
{
    /// <summary>The portal behind a public code, only while its company's Portal de pagos service is active.</summary>
    public static async Task<PortalSettings.PortalConfiguration?> FindActiveAsync(AbonoDbContext db, string code, DateOnly today, CancellationToken ct)
    {
        var portal = await db.PortalConfigurations.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(p => p.PublicCode == code, ct);
        if (portal is null)
        {
            return null;
        }
        var subscription = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(s => s.CompanyId == portal.CompanyId && s.AddOnCode == AddOn.PortalDePagos, ct);
        return subscription?.IsActiveOn(today) == true ? portal : null;
    }
}
