using Abono.Web.Data;
using Abono.Web.Features.Payments;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.MyAccount.Services;

[Authorize(Policy = Policies.Administrador)]
public sealed class ResultModel(AbonoDbContext db) : PageModel
{
    public Checkout? Checkout { get; private set; }
    public string AddOnCode { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Checkout = await db.Checkouts.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == id && c.Purpose == CheckoutPurpose.ServiceContract, ct);
        if (Checkout is null)
        {
            return NotFound();
        }
        AddOnCode = await db.Subscriptions.Where(s => s.Id == Checkout.SubjectId).Select(s => s.AddOnCode).SingleAsync(ct);
        return Page();
    }
}
