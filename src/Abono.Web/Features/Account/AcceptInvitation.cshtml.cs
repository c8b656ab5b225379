using System.ComponentModel.DataAnnotations;
using Abono.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Account;

[AllowAnonymous]
public sealed class AcceptInvitationModel(InvitationService invitations, AbonoDbContext db, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = "";

    [BindProperty]
    public AcceptInvitationInput Input { get; set; } = new();

    public Invitation? Invitation { get; private set; }
    public string CompanyName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (user, errors) = await invitations.AcceptAsync(Token, Input.FullName, Input.Password, ct);
        if (user is null)
        {
            ModelState.Clear();
            errors.CopyTo(ModelState, nameof(Input));
            await LoadAsync(ct);
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        TempData["Flash"] = "¡Listo! Tu usuario fue creado.";
        return Redirect("/");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Invitation = await invitations.FindOpenAsync(Token, ct);
        if (Invitation is not null)
        {
            CompanyName = await db.Companies.Where(c => c.Id == Invitation.CompanyId).Select(c => c.LegalName).SingleAsync(ct);
        }
    }
}

public sealed class AcceptInvitationInput
{
    [Display(Name = "Tu nombre")]
    public string? FullName { get; set; }

    [Display(Name = "Contraseña")]
    public string? Password { get; set; }
}
