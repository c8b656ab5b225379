using Abono.Web.Data;
using Abono.Web.Gateways;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.PaymentMethods;

/// <summary>
/// At start, switches off every configured method whose gateway does not exist here (the Pasarela de prueba in
/// Production): it leaves the portal, and Medios de pago shows why. Idempotent, so every instance may run it.
/// </summary>
public static class UnavailableMethods
{
    public static async Task DisableUnavailablePaymentMethodsAsync(this WebApplication app)
    {
        var gateways = app.Services.GetRequiredService<GatewayRegistry>();
        var missing = Enum.GetValues<GatewayKind>().Where(k => !gateways.Has(k)).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var disabled = await db.PaymentMethods.IgnoreQueryFilters().Where(m => missing.Contains(m.Kind) && (m.IsActive || m.EnabledInPortal))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsActive, false).SetProperty(m => m.EnabledInPortal, false).SetProperty(m => m.UpdatedAt, now));
        if (disabled > 0)
        {
            app.Logger.LogWarning("Switched off {Count} payment methods whose gateway is not available here ({Gateways}).", disabled, string.Join(", ", missing));
        }
    }
}
