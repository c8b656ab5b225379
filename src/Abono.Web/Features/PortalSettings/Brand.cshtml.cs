using System.Globalization;
using Abono.Web.Data;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PortalSettings;

/// <summary>
/// Configuración → Portal de pagos → Marca y contacto: the logo, the accent colour and the contact payers see on
/// every payer surface. All fields are checked before anything is written, so a refused logo or colour changes nothing.
/// </summary>
[Authorize(Policy = Policies.Administrador)]
[RequestSizeLimit(3 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 3 * 1024 * 1024)]
public sealed class BrandModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty]
    public BrandInput Input { get; set; } = new();

    public PortalConfiguration? Settings { get; private set; }
    public PortalBrand? Current { get; private set; }
    public bool ServiceActive { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Settings is not null)
        {
            Input = new BrandInput
            {
                AccentColor = AccentColor.Normalize(Settings.AccentColor) ?? AccentColor.Default,
                ContactEmail = Settings.ContactEmail,
                ContactPhone = Settings.ContactPhone is { } phone ? ChileanPhone.Format(phone) : null,
                ContactAddress = Settings.ContactAddress,
            };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!ServiceActive || Settings is null)
        {
            return Page();
        }
        var errors = new FieldErrors();
        var accent = AccentColor.Normalize(Input.AccentColor);
        if (accent is null)
        {
            errors.Add(nameof(Input.AccentColor), "Elige un color (formato #rrggbb).");
        }
        else if (!AccentColor.PassesAa(accent))
        {
            errors.Add(nameof(Input.AccentColor),
                $"Con este color el texto blanco no se lee bien (contraste {AccentColor.ContrastWithWhite(accent).ToString("0.0", ChileFormats.Culture)}:1; se necesita al menos 4,5:1). Elige un color más oscuro.");
        }
        var email = Rules.Clean(Input.ContactEmail);
        if (email is not null && !Rules.IsValidEmail(email))
        {
            errors.Add(nameof(Input.ContactEmail), "Ingresa un correo válido o déjalo en blanco para usar el de tu empresa.");
        }
        string? phone = null;
        if (Rules.Clean(Input.ContactPhone) is { } typedPhone && !ChileanPhone.TryNormalize(typedPhone, out phone!))
        {
            errors.Add(nameof(Input.ContactPhone), "Ingresa un teléfono chileno válido, por ejemplo +56 9 1234 5678.");
        }
        var address = Rules.Clean(Input.ContactAddress);
        if (address is { Length: > 200 })
        {
            errors.Add(nameof(Input.ContactAddress), "Máximo 200 caracteres.");
        }
        else
        {
            errors.RefuseControlCharacters(nameof(Input.ContactAddress), address);
        }
        PortalLogoImage.Result? logo = null;
        if (Input.Logo is { } file)
        {
            await using var stream = file.OpenReadStream();
            logo = PortalLogoImage.Reencode(stream, file.Length);
            if (logo.Error is not null)
            {
                errors.Add(nameof(Input.Logo), logo.Error);
            }
        }
        errors.CopyTo(ModelState, nameof(Input));
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var settings = await db.PortalConfigurations.SingleAsync(ct);
        settings.AccentColor = accent == AccentColor.Default ? null : accent;
        settings.ContactEmail = email;
        settings.ContactPhone = string.IsNullOrEmpty(phone) ? null : phone;
        settings.ContactAddress = address;
        settings.UpdatedAt = now;
        var existing = await db.PortalLogos.SingleOrDefaultAsync(ct);
        if (logo?.Png is { } png)
        {
            if (existing is null)
            {
                db.PortalLogos.Add(new PortalLogo { Png = png, Width = logo.Width, Height = logo.Height, UpdatedAt = now });
            }
            else
            {
                existing.Png = png;
                existing.Width = logo.Width;
                existing.Height = logo.Height;
                existing.UpdatedAt = now;
            }
            // A new URL for every upload (caches keep a logo for a year); never reused, even after a removal.
            settings.LogoVersion = Math.Max(settings.LogoVersion + 1, (int)(new DateTimeOffset(now).ToUnixTimeSeconds() - 1_700_000_000));
        }
        else if (Input.RemoveLogo && existing is not null)
        {
            db.PortalLogos.Remove(existing);
            settings.LogoVersion = 0;
        }
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = "Marca y contacto del Portal de pagos guardados.";
        return Redirect("/configuracion/portal-de-pagos/marca");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ServiceActive = await Portal.PortalAccess.IsContractedAsync(db, db.CurrentCompanyId, ChileFormats.Today(clock), ct);
        Settings = await db.PortalConfigurations.AsNoTracking().SingleOrDefaultAsync(ct);
        Current = Settings is null ? null : await PortalBrand.LoadAsync(db, db.CurrentCompanyId, ct);
    }

    public static string Contrast(string? hex) =>
        AccentColor.Normalize(hex) is { } color ? AccentColor.ContrastWithWhite(color).ToString("0.0", CultureInfo.GetCultureInfo("es-CL")) : "—";
}

public sealed class BrandInput
{
    public IFormFile? Logo { get; set; }
    public bool RemoveLogo { get; set; }
    public string? AccentColor { get; set; }
    public string? ContactEmail { get; set; }
    public string? ContactPhone { get; set; }
    public string? ContactAddress { get; set; }
}
