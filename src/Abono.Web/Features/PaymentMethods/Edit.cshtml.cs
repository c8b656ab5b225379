using Abono.Web.Data;
using Abono.Web.Gateways;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PaymentMethods;

/// <summary>/configuracion/medios-de-pago/nuevo/{kind} (id 0) and /configuracion/medios-de-pago/{id}.</summary>
[Authorize(Policy = Policies.Administrador)]
public sealed class EditModel(AbonoDbContext db, PaymentMethodSecrets secrets, TimeProvider clock, Gateways.GatewayRegistry gateways) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "kind")]
    public string? KindSlug { get; set; }

    [BindProperty]
    public Dictionary<string, string?> Fields { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "volver")]
    public string? Volver { get; set; }

    public GatewayKind Kind { get; private set; }
    public bool IsNew => Id == 0;
    public IReadOnlyList<GatewayField> Definitions => GatewayForms.FieldsOf(Kind);
    public Dictionary<string, string> Values { get; private set; } = [];
    public Dictionary<string, string> Masks { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var method = await LoadAsync(ct);
        if (method is null && !IsNew)
        {
            return NotFound();
        }
        if (IsNew && KindSlug is null)
        {
            return NotFound();
        }
        return await GuardNewAsync(ct) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var method = await LoadAsync(ct);
        if ((method is null && !IsNew) || (IsNew && KindSlug is null))
        {
            return NotFound();
        }
        if (await GuardNewAsync(ct) is { } redirect)
        {
            return redirect;
        }
        var stored = method is null ? new Dictionary<string, string>() : secrets.Secrets(method);
        var (settings, newSecrets, errors) = GatewayForms.Read(Kind, Fields, stored);
        if (errors.Any)
        {
            ModelState.Clear();
            errors.CopyTo(ModelState);
            Values = Fields.Where(f => f.Value is not null && !Definitions.Any(d => d.Key == f.Key && d.Secret))
                .ToDictionary(f => f.Key, f => f.Value!);
            return Page();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // Agregar from the Portal de pagos panel means "I want my customers to pay with it": it comes back switched on.
        var fromPortalPanel = method is null && Volver == PortalPanelPath;
        if (method is null)
        {
            method = new PaymentMethod { Kind = Kind, CreatedAt = now, EnabledInPortal = fromPortalPanel };
            db.PaymentMethods.Add(method);
        }
        secrets.Store(method, settings, newSecrets);
        method.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            return Redirect("/configuracion/medios-de-pago");
        }
        TempData["Flash"] = fromPortalPanel
            ? $"Listo: configuraste {Kind.Name()} y ya aparece en tu Portal de pagos."
            : $"Listo: guardamos {Kind.Name()}. Para que tus clientes paguen con este medio de pago, actívalo en la configuración del Portal de pagos.";
        return Redirect(Url.IsLocalUrl(Volver) ? Volver! : "/configuracion/medios-de-pago");
    }

    private const string PortalPanelPath = "/configuracion/portal-de-pagos/editar";

    private async Task<PaymentMethod?> LoadAsync(CancellationToken ct)
    {
        if (IsNew)
        {
            Kind = GatewaySlugs.FromSlug(KindSlug) ?? default;
            if (Kind == default || !gateways.Has(Kind))
            {
                KindSlug = null;
            }
            return null;
        }
        var method = await db.PaymentMethods.SingleOrDefaultAsync(m => m.Id == Id, ct);
        if (method is not null)
        {
            Kind = method.Kind;
            Values = secrets.Settings(method);
            Masks = secrets.Masks(method);
        }
        return method;
    }

    /// <summary>One method per gateway: "nuevo" for a gateway already configured goes to its edit page.</summary>
    private async Task<IActionResult?> GuardNewAsync(CancellationToken ct)
    {
        if (!IsNew)
        {
            return null;
        }
        var existing = await db.PaymentMethods.Where(m => m.Kind == Kind).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct);
        return existing is { } id ? Redirect($"/configuracion/medios-de-pago/{id}") : null;
    }
}
