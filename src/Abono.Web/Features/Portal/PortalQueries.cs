using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Customers;
using Abono.Web.Gateways;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>
/// The payer's pages are the busiest in Abono (customers open links on their phones); their queries are compiled
/// once instead of translated on every request (bench/load.sh measured EF Core's per-query translation as the largest
/// cost of the pending-documents page). Global query filters still apply: the tenant is read from the context.
/// </summary>
public static class PortalQueries
{
    public sealed record ActiveRow(PortalSettings.PortalConfiguration Portal, string CompanyName, string CompanyRut, string CompanyEmail, string? CompanyAddress, bool Active);

    /// <summary>The portal by public code, its company (name and brand defaults), and PortalAccess's "service active today" rule (kept in step with it).</summary>
    public static readonly Func<AbonoDbContext, string, DateOnly, Task<ActiveRow?>> ActivePortal =
        EF.CompileAsyncQuery((AbonoDbContext db, string code, DateOnly today) =>
            (from p in db.PortalConfigurations.IgnoreQueryFilters().AsNoTracking()
             join c in db.Companies.AsNoTracking() on p.CompanyId equals c.Id
             where p.PublicCode == code
             select new ActiveRow(
                 p, c.LegalName, c.Rut, c.Email, c.Address,
                 db.Subscriptions.IgnoreQueryFilters().Any(s => s.CompanyId == p.CompanyId && s.AddOnCode == AddOn.PortalDePagos
                     && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Cancelling) && (s.EndsOn == null || today < s.EndsOn))))
            .FirstOrDefault());

    public static readonly Func<AbonoDbContext, long, Task<Customer?>> CustomerById =
        EF.CompileAsyncQuery((AbonoDbContext db, long id) => db.Customers.AsNoTracking().FirstOrDefault(c => c.Id == id));

    /// <summary>A payment method as the payer picks it: which one, and its kind (name and description come from the kind).</summary>
    public sealed record PortalMethod(long Id, GatewayKind Kind);

    /// <summary>A line of "Tus pagos recientes".</summary>
    public sealed record RecentPayment(long Id, long Amount, DateTime PaidAt);

    /// <summary>
    /// Only the two columns the page shows: the whole entity also carried the method's settings and sealed
    /// credentials, strings the payer's page has no use for (and read on every page view, issue #19).
    /// </summary>
    public static readonly Func<AbonoDbContext, IAsyncEnumerable<PortalMethod>> EnabledMethods =
        EF.CompileAsyncQuery((AbonoDbContext db) =>
            db.PaymentMethods.Where(m => m.IsActive && m.EnabledInPortal).OrderBy(m => m.Kind).Select(m => new PortalMethod(m.Id, m.Kind)));

    public static readonly Func<AbonoDbContext, long, IAsyncEnumerable<RecentPayment>> LatestPayments =
        EF.CompileAsyncQuery((AbonoDbContext db, long customerId) =>
            db.Payments.Where(p => p.CustomerId == customerId).OrderByDescending(p => p.PaidAt).Take(5)
                .Select(p => new RecentPayment(p.Id, p.Amount, p.PaidAt)));

    public static Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> rows, CancellationToken ct) => PendingDocuments.ToListAsync(rows, ct);
}
