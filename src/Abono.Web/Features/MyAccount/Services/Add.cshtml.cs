using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.MyAccount.Services;

[Authorize(Policy = Policies.Administrador)]
public sealed class AddModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    public List<(AddOn AddOn, bool Active)> Cards { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = ChileFormats.Today(clock);
        var subscriptions = await db.Subscriptions.AsNoTracking().ToListAsync(ct);
        var addOns = await db.AddOns.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        Cards = addOns.Select(a => (a, subscriptions.Any(s => s.AddOnCode == a.Code && s.IsActiveOn(today)))).ToList();
    }
}
