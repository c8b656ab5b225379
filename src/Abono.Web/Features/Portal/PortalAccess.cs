using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Features.PortalSettings;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>The one rule for "is this company's Portal de pagos open today", in SQL so every portal page asks it in its first query.</summary>
public static class PortalAccess
{
    /// <summary>
    /// The Portal de pagos subscriptions open on <paramref name="today"/>, over every company: the service's
    /// <see cref="ServiceSubscription.ActiveOn"/> rule (<see cref="PortalQueries.ActivePortal"/> repeats it inline
    /// because a compiled query cannot compose it; PortalOpenRuleTests keeps the copies equal).
    /// </summary>
    public static IQueryable<ServiceSubscription> OpenOn(IQueryable<ServiceSubscription> subscriptions, DateOnly today) =>
        subscriptions.Where(s => s.AddOnCode == AddOn.PortalDePagos).Where(ServiceSubscription.ActiveOn(today));

    /// <summary>Whether a company has the Portal de pagos service active today.</summary>
    public static Task<bool> IsContractedAsync(AbonoDbContext db, Guid companyId, DateOnly today, CancellationToken ct) =>
        OpenOn(db.Subscriptions.IgnoreQueryFilters().AsNoTracking().Where(s => s.CompanyId == companyId), today).AnyAsync(ct);

    /// <summary>The portal behind a public code, only while its company's Portal de pagos service is active.</summary>
    public static async Task<PortalConfiguration?> FindActiveAsync(AbonoDbContext db, string code, DateOnly today, CancellationToken ct) =>
        (await FindActiveWithCompanyAsync(db, code, today, ct))?.Portal;

    /// <summary>The active portal and its company's legal name, in one query (every portal page starts with it).</summary>
    public static async Task<ActivePortal?> FindActiveWithCompanyAsync(AbonoDbContext db, string code, DateOnly today, CancellationToken ct)
    {
        var found = await PortalQueries.ActivePortal(db, code, today);
        return found is { Active: true }
            ? new ActivePortal(found.Portal, found.CompanyName, PortalBrand.From(found.Portal, found.CompanyName, found.CompanyRut, found.CompanyEmail, found.CompanyAddress))
            : null;
    }
}

public sealed record ActivePortal(PortalConfiguration Portal, string CompanyName, PortalBrand Brand);
