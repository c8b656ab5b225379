using Abono.Web.Data;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Abono.Web.Features.Portal;

public sealed class VerifyModel(AbonoDbContext db, TenantContext tenant, TimeProvider clock, VerificationCodes codes)
    : PortalPageModel(db, tenant, clock)
{
    public string? Message { get; private set; }
    public bool Expired { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadPortalAsync(ct) ? Page() : Unavailable();

    public async Task<IActionResult> OnPostAsync(Guid id, string? verificationCode, CancellationToken ct)
    {
        if (!await LoadPortalAsync(ct))
        {
            return Unavailable();
        }
        var (outcome, customerId) = await codes.VerifyAsync(id, verificationCode, ct);
        switch (outcome)
        {
            case VerificationCodes.Outcome.Verified:
                await PortalSession.SignInAsync(HttpContext, Portal!.CompanyId, customerId, Code, Clock);
                return Redirect($"/portal/{Code}/documentos");
            case VerificationCodes.Outcome.Wrong:
                Message = "El código no es correcto. Revisa el correo e inténtalo de nuevo.";
                return Page();
            default:
                Expired = true;
                Message = "El código venció, ya se usó o superaste los intentos. Identifícate de nuevo para recibir otro.";
                return Page();
        }
    }
}
