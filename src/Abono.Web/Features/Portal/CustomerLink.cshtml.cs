using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>The customer link: an unguessable token that opens one customer's pending documents directly.</summary>
[AllowAnonymous]
public sealed class CustomerLinkModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Binding turns a blank token (/portal/c/%20) into null: no link, as for any unknown token.
        token ??= "";
        var hash = TokenFactory.Hash(token);
        var link = token.Length is < 20 or > 100 ? null : await db.CustomerPortalLinks.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(l => l.TokenHash == hash && l.RevokedAt == null && (l.ExpiresAt == null || l.ExpiresAt > now), ct);
        var portal = link is null ? null : await db.PortalConfigurations.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(p => p.CompanyId == link.CompanyId, ct);
        if (link is null || portal is null || await PortalAccess.FindActiveAsync(db, portal.PublicCode, ChileFormats.Today(clock), ct) is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        await PortalSession.SignInAsync(HttpContext, link.CompanyId, link.CustomerId, portal.PublicCode, clock, link.Id);
        return Redirect($"/portal/{portal.PublicCode}/documentos");
    }
}
