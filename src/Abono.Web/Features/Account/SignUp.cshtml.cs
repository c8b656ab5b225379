using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Account;

[AllowAnonymous]
public sealed class SignUpModel(SignUpHandler handler, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty]
    public SignUpInput Input { get; set; } = new();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (user, errors) = await handler.HandleAsync(
            new SignUpCommand(Input.CompanyRut, Input.LegalName, Input.BusinessActivity, Input.OwnerName, Input.Email, Input.Password), ct);
        if (user is null)
        {
            ModelState.Clear();
            errors.CopyTo(ModelState, nameof(Input));
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        TempData["Flash"] = "¡Bienvenido a Abono! Tu cuenta fue creada.";
        return Redirect("/");
    }
}

public sealed class SignUpInput
{
    [Display(Name = "RUT de la empresa")]
    public string? CompanyRut { get; set; }

    [Display(Name = "Razón social")]
    public string? LegalName { get; set; }

    [Display(Name = "Giro")]
    public string? BusinessActivity { get; set; }

    [Display(Name = "Tu nombre")]
    public string? OwnerName { get; set; }

    [Display(Name = "Correo electrónico")]
    public string? Email { get; set; }

    [Display(Name = "Contraseña")]
    public string? Password { get; set; }
}
