using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Abono.Web.Platform.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>
/// The company link: the customer identifies with RUT plus email or phone. A wrong combination and an unknown RUT
/// get the same message and status; failures are limited per RUT and per IP.
/// </summary>
public sealed class IndexModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock, PortalLoginLimiter limiter, VerificationCodes codes)
    : PortalPageModel(db, tenant, clock)
{
    public const string NoMatch = "Los datos no coinciden con un cliente de esta empresa. Revisa tu RUT y tu correo o teléfono.";
    public const string TooMany = "Demasiados intentos fallidos. Por seguridad, intenta más tarde (en 15 minutos).";

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
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString();
        if (await limiter.IsBlockedAsync(Code, rut, ip, ct))
        {
            (Message, Blocked) = (TooMany, true);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        // Same query and the same comparisons whether or not the RUT exists.
        var customer = await Db.Customers.AsNoTracking().Where(c => c.Rut == rut)
            .Select(c => new { c.Id, c.Email, c.Phone }).SingleOrDefaultAsync(ct);
        var contact = Input.Contact!.Trim();
        var email = contact.Contains('@') ? contact.ToLowerInvariant() : null;
        var phone = email is null && ChileanPhone.TryNormalize(contact, out var e164) ? e164 : null;
        var matches = customer is not null
            && ((email is not null && string.Equals(customer.Email, email, StringComparison.OrdinalIgnoreCase))
                || (phone is not null && customer.Phone == phone));
        if (!matches)
        {
            await limiter.RecordFailureAsync(Code, rut, ip, ct);
            Message = NoMatch;
            return Page();
        }

        if (Portal!.VerifyWithCode)
        {
            if (customer!.Email is null)
            {
                Message = "Para ingresar necesitas un correo registrado en la empresa. Contáctala para actualizar tus datos.";
                return Page();
            }
            if (await codes.SendAsync(customer.Id, customer.Email, HttpContext.Connection.RemoteIpAddress?.ToString(), ct) is not { } verification)
            {
                Message = VerificationCodes.TooManyMessage;
                return Page();
            }
            return Redirect($"/portal/{Code}/verificar/{verification}");
        }
        await PortalSession.SignInAsync(HttpContext, Portal.CompanyId, customer!.Id, Code, Clock);
        return Redirect($"/portal/{Code}/documentos");
    }
}

public sealed class IdentifyInput
{
    public string? Rut { get; set; }
    public string? Contact { get; set; }
}
