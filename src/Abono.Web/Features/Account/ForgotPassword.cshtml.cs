using System.ComponentModel.DataAnnotations;
using Abono.Web.Platform.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Account;

/// <summary>¿Olvidaste tu contraseña?: every well-formed email gets the same answer, with or without an account.</summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(PasswordReset reset) : PageModel
{
    public const string SentPath = "/ingresar/recuperar/revisa-tu-correo";

    [BindProperty]
    [Display(Name = "Correo electrónico")]
    public string? Email { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var email = Email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 256 || !new EmailAddressAttribute().IsValid(email) || Rules.HasControlCharacters(email))
        {
            ModelState.AddModelError(nameof(Email), "Ingresa el correo con que entras a Abono.");
            return Page();
        }
        await reset.RequestAsync(email, ct);
        return Redirect(SentPath);
    }
}
