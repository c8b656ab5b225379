using Abono.Web.Data;
using Abono.Web.Gateways;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments;

/// <summary>
/// Where every gateway sends the browser back (GET or POST). What the browser brings is only a hint: this page asks
/// the gateway server-to-server and applies that verified answer, then shows the result page of the purpose.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ReturnModel(AbonoDbContext db, GatewayRegistry gateways, GatewayContexts contexts, PaymentConfirmation confirmation,
    IEnumerable<IPaymentEffect> effects, ILogger<ReturnModel> logger) : PageModel
{
    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => HandleAsync(id, ct);

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => HandleAsync(id, ct);

    private async Task<IActionResult> HandleAsync(Guid id, CancellationToken ct)
    {
        // The checkout id in the URL is all the payer has; tenants are resolved from the checkout itself.
        var checkout = await db.Checkouts.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (checkout is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        // A failed or expired checkout still asked about can yet be paid at the provider (a Fintoc payer who finished
        // after our deadline): its return is asked about too, and there only an approval changes anything.
        var late = checkout.State is CheckoutState.Failed or CheckoutState.Cancelled or CheckoutState.Expired && checkout.NextCheckAt is not null;
        if (!checkout.IsFinal || late)
        {
            var data = Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
            if (Request.HasFormContentType)
            {
                foreach (var field in await Request.ReadFormAsync(ct))
                {
                    data[field.Key] = field.Value.ToString();
                }
            }
            GatewayStatus status;
            try
            {
                var context = await contexts.ForAsync(checkout, ct);
                status = await gateways.Get(checkout.Gateway).HandleReturnAsync(context, checkout.ForGateway(context), data, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning(ex, "Status check for checkout {CheckoutId} failed on return.", id);
                status = new GatewayStatus(GatewayOutcome.Unknown, null, null, null, "No pudimos confirmar el pago con la pasarela.");
            }
            if (!checkout.IsFinal || status.Outcome == GatewayOutcome.Approved)
            {
                await confirmation.ApplyAsync(id, status, ct);
            }
        }
        // Each purpose knows its own result page (the portal's, or Mi cuenta's for a contracted service).
        return Redirect(await effects.Single(e => e.Purpose == checkout.Purpose).ResultPathAsync(db, checkout, ct));
    }
}
