using Abono.Web.Data;
using Abono.Web.Features.Billing;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.MyAccount.Services;

/// <summary>Contratar: the confirmation with the price, then off to the platform's payment gateway.</summary>
[Authorize(Policy = Policies.Administrador)]
public sealed class ContractModel(AbonoDbContext db, ContractService contracts) : PageModel
{
    public AddOn? AddOn { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        AddOn = await db.AddOns.AsNoTracking().SingleOrDefaultAsync(a => a.Code == code, ct);
        return AddOn is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        AddOn = await db.AddOns.AsNoTracking().SingleOrDefaultAsync(a => a.Code == code, ct);
        if (AddOn is null)
        {
            return NotFound();
        }
        var (start, error) = await contracts.StartAsync(code, ct);
        if (start is null)
        {
            Error = error;
            return Page();
        }
        return start.PostForm ? Partial("~/Features/Payments/GatewayRedirect.cshtml", start) : Redirect(start.Url.ToString());
    }
}
