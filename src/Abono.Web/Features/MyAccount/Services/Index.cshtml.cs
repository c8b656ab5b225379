using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Features.Payments;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.MyAccount.Services;

[Authorize(Policy = Policies.Administrador)]
public sealed class IndexModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    public List<(ServiceSubscription Subscription, string Name)> Subscriptions { get; private set; } = [];
    public List<PlatformInvoice> Invoices { get; private set; } = [];
    public List<Checkout> Payments { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var rows = await (from s in db.Subscriptions
                          join a in db.AddOns on s.AddOnCode equals a.Code
                          orderby a.Name
                          select new { s, a.Name }).AsNoTracking().ToListAsync(ct);
        Subscriptions = rows.Select(r => (r.s, r.Name)).ToList();
        Invoices = await db.PlatformInvoices.AsNoTracking().OrderByDescending(i => i.PeriodStart).ThenByDescending(i => i.Id).Take(24).ToListAsync(ct);
        Payments = await db.Checkouts.AsNoTracking().Where(c => c.Purpose == CheckoutPurpose.ServiceContract)
            .OrderByDescending(c => c.CreatedAt).Take(24).ToListAsync(ct);
    }

    /// <summary>Cancelar servicio: it stays active until the end of the period already paid.</summary>
    public async Task<IActionResult> OnPostCancelAsync(string code, CancellationToken ct)
    {
        var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.AddOnCode == code && s.Status == SubscriptionStatus.Active, ct);
        if (subscription is null)
        {
            return NotFound();
        }
        subscription.Status = SubscriptionStatus.Cancelling;
        subscription.CancelledAt = clock.GetUtcNow().UtcDateTime;
        subscription.EndsOn = subscription.NextChargeDate;
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = $"Servicio cancelado. Seguirá activo hasta el {ChileFormats.Date(subscription.EndsOn!.Value)}.";
        return Redirect("/mi-cuenta/servicios");
    }
}
