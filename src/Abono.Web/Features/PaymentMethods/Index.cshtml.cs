using Abono.Web.Data;
using Abono.Web.Gateways;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PaymentMethods;

[Authorize(Policy = Policies.Administrador)]
public sealed class IndexModel(AbonoDbContext db, GatewayRegistry gateways, PaymentMethodSecrets secrets, TimeProvider clock, Platform.Web.AppUrls urls) : PageModel
{
    public Uri BaseUrl => urls.BaseUrl;

    public List<PaymentMethod> Methods { get; private set; } = [];
    public List<GatewayKind> Available { get; private set; } = [];
    public string? TestResult { get; private set; }
    public bool TestSucceeded { get; private set; }

    /// <summary>Where "Volver" leads: the portal settings send users here and expect them back (the product's flow, docs/product.md).</summary>
    [BindProperty(SupportsGet = true, Name = "volver")]
    public string? Volver { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostToggleAsync(long id, CancellationToken ct)
    {
        var method = await db.PaymentMethods.SingleOrDefaultAsync(m => m.Id == id, ct);
        if (method is null)
        {
            return NotFound();
        }
        if (!method.IsActive && !gateways.Has(method.Kind))
        {
            TempData["Flash"] = UnavailableNote(method.Kind);
            return Redirect("/configuracion/medios-de-pago");
        }
        method.IsActive = !method.IsActive;
        if (!method.IsActive)
        {
            method.EnabledInPortal = false;
        }
        method.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        // Worded around "este medio de pago" so it agrees whatever the method's name (la Transferencia bancaria, el Webpay).
        TempData["Flash"] = method.IsActive
            ? $"Activaste {method.Kind.Name()}. Para que tus clientes paguen con este medio de pago, actívalo también en la configuración del Portal de pagos."
            : $"Desactivaste {method.Kind.Name()}: tus clientes ya no pueden pagar con este medio de pago.";
        return Redirect("/configuracion/medios-de-pago");
    }

    public async Task<IActionResult> OnPostTestAsync(long id, CancellationToken ct)
    {
        var method = await db.PaymentMethods.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (method is null)
        {
            return NotFound();
        }
        if (method.Kind == GatewayKind.Transfer)
        {
            (TestSucceeded, TestResult) = (true, "La transferencia bancaria no requiere conexión: tus datos bancarios están completos.");
        }
        else if (!gateways.Has(method.Kind))
        {
            (TestSucceeded, TestResult) = (false, UnavailableNote(method.Kind));
        }
        else if (!gateways.Get(method.Kind).Capabilities.HasFlag(GatewayCapabilities.ConnectionTest))
        {
            (TestSucceeded, TestResult) = (false, $"La prueba de conexión con {method.Kind.Name()} aún no está disponible en Abono. Tus credenciales tienen el formato correcto.");
        }
        else
        {
            var context = new GatewayContext(urls.BaseUrl, secrets.Settings(method), secrets.Secrets(method), "");
            var result = await gateways.Get(method.Kind).TestConnectionAsync(context, ct);
            (TestSucceeded, TestResult) = (result.Succeeded, result.Message);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (!Url.IsLocalUrl(Volver))
        {
            Volver = null;
        }
        Methods = await db.PaymentMethods.AsNoTracking().OrderBy(m => m.Kind).ToListAsync(ct);
        Available = GatewayForms.Configurable.Where(k => gateways.Has(k) && Methods.All(m => m.Kind != k)).ToList();
    }

    public bool IsAvailable(GatewayKind kind) => gateways.Has(kind);

    public static string UnavailableNote(GatewayKind kind) => kind == GatewayKind.Sandbox
        ? "La pasarela de prueba no está disponible en producción: este medio quedó desactivado y tus clientes no lo ven en el portal."
        : $"{kind.Name()} no está disponible en este ambiente.";
}
