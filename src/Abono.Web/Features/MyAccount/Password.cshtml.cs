using System.ComponentModel.DataAnnotations;
using Abono.Web.Features.Account;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.MyAccount;

/// <summary>Mi cuenta → Cambiar contraseña: the current one proves it is you; the session continues with the new one.</summary>
public sealed class PasswordModel(UserManager<AppUser> users, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty]
    [Display(Name = "Contraseña actual")]
    public string? Current { get; set; }

    [BindProperty]
    [Display(Name = "Nueva contraseña")]
    public string? Password { get; set; }

    [BindProperty]
    [Display(Name = "Repite la nueva contraseña")]
    public string? Confirmation { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(Current))
        {
            ModelState.AddModelError(nameof(Current), "Escribe tu contraseña actual.");
        }
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), "Escribe la nueva contraseña.");
        }
        else if (Password != Confirmation)
        {
            ModelState.AddModelError(nameof(Confirmation), "Las contraseñas no coinciden.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        var result = await users.ChangePasswordAsync(user, Current!, Password!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? nameof(Current) : nameof(Password),
                    error.Code == "PasswordMismatch" ? "La contraseña actual no es correcta." : error.Description);
            }
            return Page();
        }
        // The security stamp changed: sessions elsewhere end at their next check; this one is renewed.
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = "Tu contraseña cambió.";
        return Redirect("/mi-cuenta");
    }
}
