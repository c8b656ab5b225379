using Abono.Web.Data;
using Abono.Web.Features.Sandbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Sandbox;

/// <summary>The sandbox's hosted payment page: the payer approves, rejects or abandons, then returns to the merchant.</summary>
[AllowAnonymous]
public sealed class PayModel(AbonoDbContext db, TimeProvider clock, SandboxMode mode) : PageModel
{
    public SandboxPayment? Payment { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!mode.Enabled)
        {
            return NotFound();   // also unrouted (WebExtensions); this guards a route added some other way
        }
        Payment = await db.SandboxPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return Payment is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string? decision, CancellationToken ct)
    {
        var chosen = decision switch
        {
            "aprobar" => SandboxDecision.Approved,
            "rechazar" => SandboxDecision.Rejected,
            "abandonar" => SandboxDecision.Abandoned,
            _ => (SandboxDecision?)null,
        };
        var payment = mode.Enabled ? await db.SandboxPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) : null;
        if (payment is null)
        {
            return NotFound();
        }
        if (chosen is null)
        {
            return BadRequest();
        }
        // A decision is taken once, like at a real provider.
        await db.SandboxPayments
            .Where(p => p.Id == id && p.Decision == SandboxDecision.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Decision, chosen.Value).SetProperty(p => p.DecidedAt, clock.GetUtcNow().UtcDateTime), ct);
        return Redirect(payment.ReturnUrl);
    }
}
