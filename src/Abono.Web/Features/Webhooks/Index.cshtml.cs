using Abono.Web.Data;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Webhooks;

/// <summary>Configuración → Webhooks: receivers, their secret (shown once), the delivery log and Reenviar.</summary>
[Authorize(Policy = Policies.Administrador)]
public sealed class IndexModel(AbonoDbContext db, Webhooks webhooks, OutboundUrlGuard guard, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? ReceiverUrl { get; set; }

    public string? NewSecret { get; private set; }
    public List<WebhookEndpoint> Endpoints { get; private set; } = [];
    public List<WebhookDelivery> Deliveries { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var url = ReceiverUrl?.Trim();
        // Resolves the name and refuses non-public addresses; the sender checks again at every connection.
        if (await guard.ValidateAsync(url, ct) is { } problem)
        {
            ModelState.AddModelError(nameof(ReceiverUrl), problem);
            await LoadAsync(ct);
            return Page();
        }
        var (endpoint, secret) = webhooks.NewEndpoint(url!, clock.GetUtcNow().UtcDateTime);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        NewSecret = secret;
        ReceiverUrl = null;
        ModelState.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostToggleAsync(long endpointId, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == endpointId, ct);
        if (endpoint is null)
        {
            return NotFound();
        }
        endpoint.IsActive = !endpoint.IsActive;
        await db.SaveChangesAsync(ct);
        return Redirect("/configuracion/webhooks");
    }

    /// <summary>Reenviar: the same event (same id, so receivers can de-duplicate) goes out again.</summary>
    public async Task<IActionResult> OnPostResendAsync(long deliveryId, CancellationToken ct)
    {
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null)
        {
            return NotFound();
        }
        delivery.DeliveredAt = null;
        db.Outbox.Add(Webhooks.Message(delivery.CompanyId, delivery.Id, clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = "Reenvío en cola.";
        return Redirect("/configuracion/webhooks");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Endpoints = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);
        Deliveries = await db.WebhookDeliveries.AsNoTracking().OrderByDescending(d => d.Id).Take(50).ToListAsync(ct);
    }
}
