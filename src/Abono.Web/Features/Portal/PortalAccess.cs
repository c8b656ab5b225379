using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Features.PortalSettings;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

public static class PortalAccess
{
    /// <summary>Whether a company has the Portal de pagos service active today.</summary>
    public static async Task<bool> IsContractedAsync(AbonoDbContext db, Guid companyId, DateOnly today, CancellationToken ct)
    {
        var subscription = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(s => s.CompanyId == companyId && s.AddOnCode == AddOn.PortalDePagos, ct);
        return subscription?.IsActiveOn(today) == true;
    }

    /// <summary>The portal behind a public code, only while its company's Portal de pagos service is active.</summary>
    public static async Task<PortalConfiguration?> FindActiveAsync(AbonoDbContext db, string code, DateOnly today, CancellationToken ct)
    {
        var portal = await db.PortalConfigurations.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(p => p.PublicCode == code, ct);
        if (portal is null)
        {
            return null;
        }
        return await IsContractedAsync(db, portal.CompanyId, today, ct) ? portal : null;
    }
}
