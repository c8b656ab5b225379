using Abono.Web.Data;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Billing;

/// <summary>Step 1 of the product (docs/product.md): Contratar an add-on, paid through the platform's own gateway.</summary>
public sealed class ContractService(AbonoDbContext db, CheckoutStarter starter, GatewayContexts contexts, TimeProvider clock)
{
    public async Task<(GatewayStart? Start, string? Error)> StartAsync(string addOnCode, CancellationToken ct)
    {
        var addOn = await db.AddOns.AsNoTracking().SingleOrDefaultAsync(a => a.Code == addOnCode, ct);
        if (addOn is null)
        {
            return (null, "Ese servicio no existe.");
        }
        var today = ChileFormats.Today(clock);
        var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.AddOnCode == addOnCode, ct);
        if (subscription is not null && subscription.IsActiveOn(today))
        {
            return (null, $"Ya tienes contratado {addOn.Name}.");
        }
        if (subscription is null)
        {
            subscription = new ServiceSubscription { AddOnCode = addOnCode, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Subscriptions.Add(subscription);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                // A second click raced this one; the other request continues with the same subscription.
                return (null, "Ya hay una contratación en curso. Revisa Mis servicios.");
            }
        }

        var checkout = new Checkout
        {
            Purpose = CheckoutPurpose.ServiceContract,
            SubjectId = subscription.Id,
            Amount = addOn.MonthlyPrice,
            Gateway = contexts.PlatformGateway,
            Description = $"{addOn.Name} · primer mes",
        };
        return await starter.StartAsync(checkout, ct);
    }
}
