using Abono.Web.Data;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PortalSettings;

/// <summary>Step 2 of the product (docs/product.md): the settings card, the company link and the Editar side panel (Nombre, Emisor, Medios de pago).</summary>
[Authorize(Policy = Policies.Administrador)]
public sealed class IndexModel(AbonoDbContext db, TimeProvider clock, Platform.Web.AppUrls urls) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Panel { get; set; }

    [BindProperty]
    public PortalSettingsInput Input { get; set; } = new();

    public bool ServiceActive { get; private set; }
    public PortalConfiguration? Settings { get; private set; }
    public List<PaymentMethod> Selectable { get; private set; } = [];
    public List<PaymentMethod> Enabled { get; private set; } = [];
    public string CompanyLink { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Panel is not (null or "editar"))
        {
            return NotFound();
        }
        await LoadAsync(ct);
        if (Settings is not null)
        {
            Input = new PortalSettingsInput
            {
                Name = Settings.Name,
                IssuerEmail = Settings.IssuerEmail,
                EnabledMethodIds = Enabled.Select(m => m.Id).ToList(),
                AllowPartialPayments = Settings.AllowPartialPayments,
                MinimumPartialAmount = Settings.MinimumPartialAmount,
                CustomerLinkValidityDays = Settings.CustomerLinkValidityDays,
                VerifyWithCode = Settings.VerifyWithCode,
            };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Panel = "editar";
        await LoadAsync(ct);
        if (!ServiceActive || Settings is null)
        {
            return Page();
        }
        var errors = new FieldErrors();
        var name = Rules.Clean(Input.Name);
        if (name is null)
        {
            errors.Add(nameof(Input.Name), "Ingresa el nombre del portal.");
        }
        else if (name.Length > 100)
        {
            errors.Add(nameof(Input.Name), "Máximo 100 caracteres.");
        }
        else
        {
            // The portal name goes into email From headers, PDFs and page titles.
            errors.RefuseControlCharacters(nameof(Input.Name), name);
        }
        var email = Rules.Clean(Input.IssuerEmail);
        if (!Rules.IsValidEmail(email))
        {
            errors.Add(nameof(Input.IssuerEmail), "Ingresa un correo válido: a él llegarán los comprobantes.");
        }
        var selectable = Selectable.Select(m => m.Id).ToHashSet();
        if (Input.EnabledMethodIds.Any(id => !selectable.Contains(id)))
        {
            errors.Add(nameof(Input.EnabledMethodIds), "Solo puedes activar medios de pago configurados y activos.");
        }
        if (Input.MinimumPartialAmount is < 1 or > 100_000_000)
        {
            errors.Add(nameof(Input.MinimumPartialAmount), "El abono mínimo debe estar entre $1 y $100.000.000.");
        }
        if (Input.CustomerLinkValidityDays is < 0 or > 3650)
        {
            errors.Add(nameof(Input.CustomerLinkValidityDays), "Indica entre 0 (sin vencimiento) y 3.650 días.");
        }
        errors.CopyTo(ModelState, nameof(Input));
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var settings = await db.PortalConfigurations.SingleAsync(ct);
        settings.Name = name!;
        settings.IssuerEmail = email!;
        settings.AllowPartialPayments = Input.AllowPartialPayments;
        settings.MinimumPartialAmount = Input.MinimumPartialAmount ?? settings.MinimumPartialAmount;
        settings.CustomerLinkValidityDays = Input.CustomerLinkValidityDays ?? 0;
        settings.VerifyWithCode = Input.VerifyWithCode;
        settings.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        var methods = await db.PaymentMethods.ToListAsync(ct);
        foreach (var method in methods)
        {
            method.EnabledInPortal = method.IsActive && Input.EnabledMethodIds.Contains(method.Id);
        }
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = "Configuración del Portal de pagos guardada.";
        return Redirect("/configuracion/portal-de-pagos");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var today = ChileFormats.Today(clock);
        ServiceActive = await Portal.PortalAccess.IsContractedAsync(db, db.CurrentCompanyId, today, ct);
        Settings = await db.PortalConfigurations.AsNoTracking().SingleOrDefaultAsync(ct);
        Selectable = await db.PaymentMethods.AsNoTracking().Where(m => m.IsActive).OrderBy(m => m.Kind).ToListAsync(ct);
        Enabled = Selectable.Where(m => m.EnabledInPortal).ToList();
        if (Settings is not null)
        {
            CompanyLink = urls.Absolute($"/portal/{Settings.PublicCode}");
        }
    }
}

public sealed class PortalSettingsInput
{
    public string? Name { get; set; }
    public string? IssuerEmail { get; set; }
    public bool AllowPartialPayments { get; set; }
    public long? MinimumPartialAmount { get; set; }
    public int? CustomerLinkValidityDays { get; set; }
    public bool VerifyWithCode { get; set; }
    public List<long> EnabledMethodIds { get; set; } = [];
}
