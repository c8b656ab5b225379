using Abono.Web.Data;
using Abono.Web.Gateways;
using Abono.Web.Gateways.Transfer;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments;

/// <summary>
/// Re-asks the gateway about checkouts that never got a verified answer: the payer paid but never came back, the
/// answer was ambiguous (Unknown), or the payer left. Paid ones are confirmed through the usual idempotent path;
/// ones still pending past their expiry are expired, which releases the documents' "pago en proceso" locks.
/// Declared bank transfers wait for the back office instead. Safe on any number of instances: status queries only
/// read, and confirmation applies once.
/// </summary>
public sealed class CheckoutJanitor(IServiceScopeFactory scopes, GatewayRegistry gateways, PaymentConfirmation confirmation, IConfiguration configuration, TimeProvider clock, ILogger<CheckoutJanitor> logger)
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(5);

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var quiet = now - QuietPeriod;
        List<Checkout> candidates;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
            candidates = await db.Checkouts.IgnoreQueryFilters().AsNoTracking()
                .Where(c => (c.State == CheckoutState.Pending || c.State == CheckoutState.Unknown || c.State == CheckoutState.Created) && c.UpdatedAt < quiet
                    && !db.TransferDeclarations.IgnoreQueryFilters().Any(t => t.CheckoutId == c.Id && t.Status == TransferStatus.Declared))
                .OrderBy(c => c.UpdatedAt).Take(100).ToListAsync(ct);
        }
        var baseUrl = new Uri((configuration["App:BaseUrl"] ?? "http://localhost:5070").TrimEnd('/') + "/");
        var resolved = 0;
        foreach (var checkout in candidates)
        {
            GatewayStatus status;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var context = await scope.ServiceProvider.GetRequiredService<GatewayContexts>().ForAsync(checkout, baseUrl, ct);
                status = checkout.GatewayReference is null
                    ? new GatewayStatus(GatewayOutcome.Pending, null, null, null)
                    : await gateways.Get(checkout.Gateway).QueryStatusAsync(context, checkout, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning(ex, "Status of checkout {CheckoutId} still unknown; will ask again.", checkout.Id);
                continue;
            }
            if (status.Outcome is GatewayOutcome.Pending or GatewayOutcome.Unknown && checkout.ExpiresAt < now)
            {
                status = new GatewayStatus(GatewayOutcome.Expired, null, null, status.Reference, "El pago no se completó a tiempo.");
            }
            if (status.Outcome is not (GatewayOutcome.Pending or GatewayOutcome.Unknown))
            {
                var result = await confirmation.ApplyAsync(checkout.Id, status, ct);
                if (result == ConfirmationResult.Applied)
                {
                    resolved++;
                }
            }
        }
        return resolved;
    }
}

public sealed class CheckoutJanitorWorker(CheckoutJanitor janitor, IConfiguration configuration, ILogger<CheckoutJanitorWorker> logger)
    : Platform.Jobs.PeriodicWorker(configuration, logger, TimeSpan.FromMinutes(5), runAtStart: false)
{
    protected override Task RunOnceAsync(CancellationToken ct) => janitor.RunAsync(ct);
}
