using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Account;

/// <summary>
/// Crear cuenta. A new and an already registered email or RUT get the same answer (a redirect to "revisa tu correo",
/// no cookie), so the page cannot be used to learn who uses Abono; the email says which case it was.
/// </summary>
[AllowAnonymous]
public sealed class SignUpModel(SignUpHandler handler) : PageModel
{
    public const string CheckEmailPath = "/crear-cuenta/revisa-tu-correo";

    [BindProperty]
    public SignUpInput Input { get; set; } = new();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var errors = await handler.RequestAsync(
            new SignUpCommand(Input.CompanyRut, Input.LegalName, Input.BusinessActivity, Input.OwnerName, Input.Email, Input.Password), ct);
        if (errors.Any)
        {
            ModelState.Clear();
            errors.CopyTo(ModelState, nameof(Input));
            return Page();
        }
        return Redirect(CheckEmailPath);
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
