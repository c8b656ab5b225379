using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Customers;
using Abono.Web.Features.PaymentMethods;
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

    public static readonly Func<AbonoDbContext, IAsyncEnumerable<PaymentMethod>> EnabledMethods =
        EF.CompileAsyncQuery((AbonoDbContext db) =>
            db.PaymentMethods.AsNoTracking().Where(m => m.IsActive && m.EnabledInPortal).OrderBy(m => m.Kind).AsQueryable());

    public static readonly Func<AbonoDbContext, long, IAsyncEnumerable<Payment>> LatestPayments =
        EF.CompileAsyncQuery((AbonoDbContext db, long customerId) =>
            db.Payments.AsNoTracking().Where(p => p.CustomerId == customerId).OrderByDescending(p => p.PaidAt).Take(5));

    public static Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> rows, CancellationToken ct) => PendingDocuments.ToListAsync(rows, ct);
}
