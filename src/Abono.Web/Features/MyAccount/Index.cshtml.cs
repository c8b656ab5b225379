using Abono.Web.Data;
using Abono.Web.Features.Account;
using Abono.Web.Features.Companies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.MyAccount;

public sealed class IndexModel(AbonoDbContext db, UserManager<AppUser> users) : PageModel
{
    public Company? Company { get; private set; }
    public string FullName { get; private set; } = "";
    public string Email { get; private set; } = "";
    public IList<string> UserRoles { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        Company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == db.CurrentCompanyId, ct);
        FullName = user.FullName;
        Email = user.Email ?? "";
        UserRoles = await users.GetRolesAsync(user);
        return Page();
    }
}
