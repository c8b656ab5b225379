using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Abono.Web.Platform.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Abono.Web.Features.Account;

/// <summary>
/// Ingresar. The answer must not tell whether an email has an account: there is no per-account lockout (it showed
/// "Demasiados intentos" only for accounts that exist, and let anyone lock a colleague out); guessing is slowed per
/// source instead (<see cref="LoginThrottle"/>), and an unknown email still costs one password-hash verification,
/// so the answer takes about as long as for a known one.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, LoginThrottle throttle, DummyPasswordHash dummy) : PageModel
{
    public const string WrongCredentials = "Correo o contraseña incorrectos.";

    public static string TooMany(int seconds) =>
        $"Hubo demasiados intentos fallidos desde tu conexión. Por seguridad, espera {LoginThrottle.Describe(seconds)} y vuelve a intentarlo.";

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
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

        var email = Input.Email!.Trim();
        var attempt = await throttle.BeginAsync(LoginThrottle.SignInScope, users.NormalizeEmail(email), ClientSource.Of(HttpContext), ct);
        if (attempt.Throttled)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = attempt.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            ModelState.AddModelError(string.Empty, TooMany(attempt.RetryAfterSeconds));
            return Page();
        }

        var user = await users.FindByEmailAsync(email);
        bool valid;
        if (user is null)
        {
            // Same work as a wrong password: one verification of a hash made with the same hasher and settings.
            dummy.Verify(Input.Password!);
            valid = false;
        }
        else
        {
            // CheckPasswordAsync verifies (and upgrades an old hash) without touching lockout counters.
            valid = await users.CheckPasswordAsync(user, Input.Password!) && await signIn.CanSignInAsync(user);
        }
        if (!valid)
        {
            await attempt.FailedAsync(ct);
            ModelState.AddModelError(string.Empty, WrongCredentials);
            return Page();
        }
        await attempt.SucceededAsync(ct);
        await signIn.SignInAsync(user!, isPersistent: false);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}

public sealed class SignInInput
{
    [Display(Name = "Correo electrónico")]
    public string? Email { get; set; }

    [Display(Name = "Contraseña")]
    public string? Password { get; set; }
}

/// <summary>A password hash of nobody, made once with the app's hasher, to verify against when an email is unknown.</summary>
public sealed class DummyPasswordHash(IPasswordHasher<AppUser> hasher)
{
    private static readonly AppUser Nobody = new() { FullName = "" };
    private static string? _hash;

    public void Verify(string password)
    {
        // Made on first use, with the same hasher (and iteration count) as real accounts; a race only makes it twice.
        _hash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)));
        hasher.VerifyHashedPassword(Nobody, _hash, password);
    }
}
