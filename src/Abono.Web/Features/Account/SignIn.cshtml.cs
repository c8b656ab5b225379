using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Account;

[AllowAnonymous]
public sealed class SignInModel(SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Input.Email))
        {
            ModelState.AddModelError("Input.Email", "Ingresa tu correo.");
        }
        if (string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("Input.Password", "Ingresa tu contraseña.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(Input.Email!.Trim(), Input.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "Demasiados intentos fallidos. Intenta más tarde."
            : "Correo o contraseña incorrectos.");
        return Page();
    }
}

public sealed class SignInInput
{
    [Display(Name = "Correo electrónico")]
    public string? Email { get; set; }

    [Display(Name = "Contraseña")]
    public string? Password { get; set; }
}
