using Abono.Web.Data;
using Abono.Web.Gateways;
using Abono.Web.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments;

/// <summary>Records the checkout first, then asks the gateway to start it; an unclear gateway answer leaves it Unknown, never Failed.</summary>
public sealed class CheckoutStarter(AbonoDbContext db, GatewayRegistry gateways, GatewayContexts contexts, TimeProvider clock, ILogger<CheckoutStarter> logger, Platform.Observability.AbonoMetrics metrics)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>Adds the checkout (Created) to the context with its lifetime and first reconciliation time; the caller saves it.</summary>
    public void Record(Checkout checkout)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        checkout.CreatedAt = now;
        checkout.UpdatedAt = now;
        checkout.ExpiresAt = now + Lifetime;
        checkout.NextCheckAt = now + Backoff.CheckoutStatus.Initial;
        db.Checkouts.Add(checkout);
    }

    /// <summary>Records the checkout unless the caller already did (with what it reserves, in one transaction), then asks the gateway.</summary>
    public async Task<(GatewayStart? Start, string? Error)> StartAsync(Checkout checkout, CancellationToken ct)
    {
        if (db.Entry(checkout).State == EntityState.Detached)
        {
            Record(checkout);
            await db.SaveChangesAsync(ct);
        }

        var gateway = gateways.Get(checkout.Gateway);
        var context = await contexts.ForAsync(checkout, ct);
        try
        {
            // Portal payments name their customer: its RUT (Khipu fixes the payer to it) and email (Flow requires one).
            var payer = checkout.CustomerId is { } customerId
                ? await db.Customers.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == customerId && c.CompanyId == checkout.CompanyId)
                    .Select(c => new { c.Rut, c.Email }).SingleOrDefaultAsync(ct)
                : null;
            var start = await gateway.StartAsync(context, checkout.ForGateway(context, payer?.Rut, payer?.Email), ct);
            checkout.GatewayReference = start.GatewayReference;
            checkout.StartJson = System.Text.Json.JsonSerializer.Serialize(start);
            checkout.MoveTo(CheckoutState.Pending, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            metrics.CheckoutStarted(checkout.Gateway.ToString(), checkout.Purpose.ToString());
            return (start, null);
        }
        catch (GatewayRefusedException ex)
        {
            // The provider said no, clearly: nothing exists there to pay or to ask about later.
            logger.LogWarning("Gateway {Gateway} refused to start checkout {CheckoutId}: {Detail}", checkout.Gateway, checkout.Id, ex.Message);
            checkout.MoveTo(CheckoutState.Failed, clock.GetUtcNow().UtcDateTime, ex.UserMessage);
            checkout.NextCheckAt = null;
            await db.SaveChangesAsync(ct);
            return (null, $"{ex.UserMessage} No se realizó ningún cargo.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            // The gateway may or may not have registered the payment: Unknown, to be re-asked, never Failed.
            logger.LogWarning(ex, "Gateway {Gateway} did not answer clearly when starting checkout {CheckoutId}.", checkout.Gateway, checkout.Id);
            checkout.MoveTo(CheckoutState.Unknown, clock.GetUtcNow().UtcDateTime, "La pasarela no respondió al iniciar el pago.");
            await db.SaveChangesAsync(ct);
            return (null, "No pudimos comunicarnos con la pasarela de pago. No se realizó ningún cargo; intenta nuevamente en unos minutos.");
        }
    }
}
