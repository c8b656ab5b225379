using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Account;

[AllowAnonymous]
public sealed class ForgotPasswordSentModel : PageModel
{
    public void OnGet()
    {
    }
}
