using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Account;

/// <summary>
/// The link from "Activa tu cuenta". Opening it only shows a button: mail scanners that fetch links must not create
/// the account (and sign themselves in). The POST creates it and signs in, once; a second use finds it already active.
/// </summary>
[AllowAnonymous]
public sealed class SignUpActivateModel(SignUpHandler handler, SignInManager<AppUser> signIn) : PageModel
{
    public SignUpActivation? Activation { get; private set; }
    public string? Problem { get; private set; }
    public bool OfferSignIn { get; private set; }

    public void OnGet(string token)
    {
        Activation = handler.Read(token);
        Problem = Activation is null ? "El enlace no es válido o venció. Crea tu cuenta de nuevo." : null;
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        var (user, problem) = await handler.ActivateAsync(token, ct);
        if (user is null)
        {
            Problem = problem;
            OfferSignIn = problem == SignUpHandler.AlreadyActive;
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        TempData["Flash"] = "¡Te damos la bienvenida a Abono! Tu cuenta fue creada.";
        return Redirect("/");
    }
}
