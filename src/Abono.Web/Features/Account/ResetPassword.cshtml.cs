using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Account;

/// <summary>The emailed link: choose a new password. A used, expired or altered link says so and offers a new one.</summary>
[AllowAnonymous]
public sealed class ResetPasswordModel(PasswordReset reset, UserManager<AppUser> users) : PageModel
{
    public const string InvalidLink = "Este enlace ya no sirve: venció, ya se usó o está incompleto. Pide uno nuevo.";

    public bool LinkValid { get; private set; }

    [BindProperty]
    [Display(Name = "Nueva contraseña")]
    public string? Password { get; set; }

    [BindProperty]
    [Display(Name = "Repite la nueva contraseña")]
    public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(string code)
    {
        // The token is checked now, so a dead link says so before anyone types a password.
        LinkValid = await reset.ReadAsync(code) is { } link
            && await users.VerifyUserTokenAsync(link.User, users.Options.Tokens.PasswordResetTokenProvider, UserManager<AppUser>.ResetPasswordTokenPurpose, link.Token);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code)
    {
        if (await reset.ReadAsync(code) is not { } link)
        {
            return Page();
        }
        LinkValid = true;
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), "Escribe tu nueva contraseña.");
            return Page();
        }
        if (Password != Confirmation)
        {
            ModelState.AddModelError(nameof(Confirmation), "Las contraseñas no coinciden.");
            return Page();
        }
        var result = await users.ResetPasswordAsync(link.User, link.Token, Password);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == new IdentityErrorDescriber().InvalidToken().Code))
            {
                LinkValid = false;
                return Page();
            }
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(nameof(Password), error.Description);
            }
            return Page();
        }
        TempData["Flash"] = "Listo: tu contraseña cambió. Ingresa con la nueva.";
        return Redirect("/ingresar");
    }
}
