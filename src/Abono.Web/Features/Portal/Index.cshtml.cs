using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Security;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>
/// The company link: the customer identifies with RUT plus email or phone. A wrong combination and an unknown RUT
/// get the same message and status. Failures slow down the source that makes them (<see cref="LoginThrottle"/>),
/// never the RUT: the right customer from another connection goes straight in.
/// </summary>
public sealed class IndexModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock, LoginThrottle throttle, VerificationCodes codes)
    : PortalPageModel(db, tenant, clock)
{
    public const string NoMatch = "Los datos no coinciden con un cliente de esta empresa. Revisa tu RUT y tu correo o teléfono.";

    /// <summary>A code sent while throttled is not sent again for this long (someone who knows the answer could repeat it).</summary>
    public static readonly TimeSpan ThrottledCodeInterval = TimeSpan.FromMinutes(2);

    /// <summary>The throttle answer, the same whatever was typed: it depends only on the connection's recent failures.</summary>
    public static string TooMany(int seconds) =>
        $"Hubo demasiados intentos fallidos desde tu conexión. Por seguridad, espera {LoginThrottle.Describe(seconds)} y vuelve a intentarlo.";

    public const string TooManyWithCode =
        "Si tus datos son correctos, te enviamos un código de verificación a tu correo registrado: abre el enlace del correo e ingrésalo para entrar ahora.";

    [BindProperty]
    public IdentifyInput Input { get; set; } = new();

    public string? Message { get; private set; }
    public bool Blocked { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadPortalAsync(ct))
        {
            return Unavailable();
        }
        if (await PortalSession.CurrentAsync(HttpContext, Code) is not null)
        {
            return Redirect($"/portal/{Code}/documentos");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadPortalAsync(ct))
        {
            return Unavailable();
        }
        var rutError = Rut.Validate(Input.Rut);
        if (rutError is not null)
        {
            ModelState.AddModelError("Input.Rut", rutError);
        }
        if (string.IsNullOrWhiteSpace(Input.Contact) || Input.Contact.Length > 254)
        {
            ModelState.AddModelError("Input.Contact", "Ingresa tu correo electrónico o tu teléfono.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var rut = Rut.Parse(Input.Rut!).Normalized;
        var attempt = await throttle.BeginAsync(LoginThrottle.PortalScope, $"{Code}|{rut}", ClientSource.Of(HttpContext), ct);
        if (attempt.Throttled)
        {
            return await ThrottledAsync(rut, attempt.RetryAfterSeconds, ct);
        }

        var customer = await FindAsync(rut, ct);
        if (customer is null)
        {
            await attempt.FailedAsync(ct);
            Message = NoMatch;
            return Page();
        }
        await attempt.SucceededAsync(ct);

        if (Portal!.VerifyWithCode)
        {
            if (customer.Email is null)
            {
                Message = "Para ingresar necesitas un correo registrado en la empresa. Contáctala para actualizar tus datos.";
                return Page();
            }
            if (await codes.SendAsync(customer.Id, customer.Email, CodeSource, ct) is not { } verification)
            {
                Message = VerificationCodes.TooManyMessage;
                return Page();
            }
            return Redirect($"/portal/{Code}/verificar/{verification}");
        }
        await PortalSession.SignInAsync(HttpContext, Portal.CompanyId, customer.Id, Code, Clock);
        return Redirect($"/portal/{Code}/documentos");
    }

    /// <summary>The customer whose RUT and contact both match; the same query and comparisons whether or not the RUT exists.</summary>
    private async Task<Match?> FindAsync(string rut, CancellationToken ct)
    {
        var customer = await Db.Customers.AsNoTracking().Where(c => c.Rut == rut)
            .Select(c => new { c.Id, c.Email, c.Phone }).SingleOrDefaultAsync(ct);
        var contact = Input.Contact!.Trim();
        var email = contact.Contains('@') ? contact.ToLowerInvariant() : null;
        var phone = email is null && ChileanPhone.TryNormalize(contact, out var e164) ? e164 : null;
        var matches = customer is not null
            && ((email is not null && string.Equals(customer.Email, email, StringComparison.OrdinalIgnoreCase))
                || (phone is not null && customer.Phone == phone));
        return matches ? new Match(customer!.Id, customer.Email) : null;
    }

    private sealed record Match(long Id, string? Email);

    /// <summary>Who asks for a code, for its per-source limit; null when the connection has no address (in-process tests).</summary>
    private string? CodeSource => HttpContext.Connection.RemoteIpAddress is null ? null : ClientSource.Of(HttpContext);

    /// <summary>
    /// A throttled connection gets the same 429 page whatever it typed, so the wait is no oracle. With Verificar con
    /// código on, the answer is still checked and, when right, the code goes to the customer's email: whoever holds
    /// that mailbox gets in now through the email's link, and an attacker behind the throttle learns nothing.
    /// </summary>
    private async Task<IActionResult> ThrottledAsync(string rut, int seconds, CancellationToken ct)
    {
        Message = TooMany(seconds);
        Blocked = true;
        if (Portal!.VerifyWithCode)
        {
            Message += " " + TooManyWithCode;
            if (await FindAsync(rut, ct) is { Email: { } email } customer)
            {
                var recent = Clock.GetUtcNow().UtcDateTime - ThrottledCodeInterval;
                if (!await Db.PortalVerificationCodes.AnyAsync(v => v.CustomerId == customer.Id && v.CreatedAt > recent, ct))
                {
                    await codes.SendAsync(customer.Id, email, CodeSource, ct);
                }
            }
        }
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }
}

public sealed class IdentifyInput
{
    public string? Rut { get; set; }
    public string? Contact { get; set; }
}
