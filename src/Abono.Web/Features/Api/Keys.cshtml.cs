using Abono.Web.Data;
using Abono.Web.Platform.Validation;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Api;

/// <summary>Configuración → API: create keys (shown once), see their use, revoke them.</summary>
[Authorize(Policy = Policies.Administrador)]
public sealed class KeysModel(AbonoDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty]
    public KeyInput Input { get; set; } = new();

    public List<ApiKey> Keys { get; private set; } = [];
    public string? NewKey { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var name = Input.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            ModelState.AddModelError("Input.Name", "Ponle un nombre a la clave, por ejemplo «ERP».");
        }
        else if (name.Length > 100)
        {
            ModelState.AddModelError("Input.Name", "Máximo 100 caracteres.");
        }
        else if (Rules.HasControlCharacters(name))
        {
            ModelState.AddModelError("Input.Name", Rules.ControlCharactersMessage);
        }
        if (Input.Scope is not (ApiScope.Read or ApiScope.Write))
        {
            ModelState.AddModelError("Input.Scope", "Elige el permiso.");
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        var (key, prefix, hash) = ApiKeys.Create();
        db.ApiKeys.Add(new ApiKey { Name = name!, Prefix = prefix, KeyHash = hash, Scope = Input.Scope!.Value, CreatedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        NewKey = key;
        Input = new KeyInput();
        ModelState.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid keyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var revoked = await db.ApiKeys.Where(k => k.Id == keyId && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), ct);
        if (revoked == 0)
        {
            return NotFound();
        }
        TempData["Flash"] = "Clave revocada.";
        return Redirect("/configuracion/api");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(ct);

    public sealed class KeyInput
    {
        public string? Name { get; set; }
        public ApiScope? Scope { get; set; } = ApiScope.Read;
    }
}
