using Abono.Web.Data;
using Abono.Web.Features.Customers;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>
/// A payer's page under /portal/{code}: finds the portal (only while its service is active), sets the tenant to
/// its company, and (for pages that need it) the customer this browser identified as.
/// </summary>
[AllowAnonymous]
public abstract class PortalPageModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock) : PageModel
{
    /// <summary>From the route; binding turns a blank one (/portal/%20/…) into null, which is no portal (404), not a crash.</summary>
    [BindProperty(SupportsGet = true)]
    public string Code { get => _code; set => _code = value ?? ""; }

    private string _code = "";

    public PortalConfiguration? Portal { get; private set; }
    public string CompanyName { get; private set; } = "";

    /// <summary>The business's name, logo, colour and contact, for the layout and every payer page.</summary>
    public PortalBrand? Brand { get; private set; }
    public Customer? Customer { get; private set; }

    protected AbonoDbContext Db => db;
    protected TimeProvider Clock => clock;
    protected DateOnly Today => ChileFormats.Today(clock);

    /// <summary>False when the portal does not exist or its service is not active: show "Portal no disponible".</summary>
    protected async Task<bool> LoadPortalAsync(CancellationToken ct)
    {
        // A portal page runs several small queries: one connection for all of them instead of one per query
        // (measured in bench/load.sh); the context closes it when the request ends.
        await db.Database.OpenConnectionAsync(ct);
        // Payer pages show a customer's documents and payments: never stored by any cache. Exactly what antiforgery
        // sets on pages with a form, so it has nothing to override (it logged a warning on every such page when
        // this said "private, no-cache": measured in bench/load.sh). The logo and the brand stylesheet set their own
        // long-lived caching after this.
        Response.Headers.CacheControl = "no-cache, no-store";
        Response.Headers.Pragma = "no-cache";
        var active = Code.Length > 32 ? null : await PortalAccess.FindActiveWithCompanyAsync(db, Code, Today, ct);
        Portal = active?.Portal;
        if (active is null)
        {
            return false;
        }
        tenant.Set(active.Portal.CompanyId);
        CompanyName = active.CompanyName;
        Brand = active.Brand;
        return true;
    }

    /// <summary>Portal and identified customer; false when either is missing (the caller sends the payer to identify).</summary>
    protected async Task<bool> LoadSessionAsync(CancellationToken ct)
    {
        if (!await LoadPortalAsync(ct))
        {
            return false;
        }
        var session = await PortalSession.CurrentAsync(HttpContext, Code);
        if (session is not { } s || s.CompanyId != Portal!.CompanyId)
        {
            return false;
        }
        Customer = await PortalQueries.CustomerById(db, s.CustomerId);
        return Customer is not null;
    }

    protected IActionResult Unavailable()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Partial("~/Features/Portal/_Unavailable.cshtml");
    }

    protected IActionResult ToIdentify() => Redirect($"/portal/{Code}");

    /// <summary>Why a payer page cannot show what was asked: no portal, no identified customer, or not this customer's.</summary>
    protected IActionResult Refused() => Portal is null ? Unavailable() : Customer is null ? ToIdentify() : NotFound();
}
