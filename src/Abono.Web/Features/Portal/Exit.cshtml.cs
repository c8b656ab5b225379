using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Portal;

[AllowAnonymous]
public sealed class ExitModel : PageModel
{
    public IActionResult OnGet(string code) => Redirect($"/portal/{code}");

    public async Task<IActionResult> OnPostAsync(string code)
    {
        await PortalSession.SignOutAsync(HttpContext);
        return Redirect($"/portal/{code}");
    }
}
