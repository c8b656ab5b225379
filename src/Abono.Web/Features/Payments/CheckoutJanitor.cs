using Abono.Web.Data;
using Abono.Web.Gateways;
using Abono.Web.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments;

/// <summary>
/// Reconciliation: re-asks the gateway about every checkout that never got a verified answer (the payer paid but
/// never came back, the answer was ambiguous, our process died before recording it) on a backoff schedule, and
/// applies the answer through the usual idempotent confirmation — a payment the gateway holds but we had not
/// recorded is recorded then, with its receipts. Checkouts the gateway still calls unpaid after their expiry (plus a
/// grace period that covers the providers' own, longer, session lifetimes) are expired, releasing their documents.
/// A failed or abandoned checkout at a provider that may still approve it (another card in the same Mercado Pago
/// preference) keeps being asked until the provider's deadline has passed, then is closed, freeing its documents.
/// Checkouts the gateway cannot answer about stay Unknown and keep being asked until <see cref="GiveUpAfter"/>,
/// then wait for a person. Declared bank transfers wait for the back office instead. Safe on any number of
/// instances: each checkout is claimed by moving its NextCheckAt forward with a guarded update before asking.
/// </summary>
public sealed class CheckoutJanitor(IServiceScopeFactory scopes, GatewayRegistry gateways, PaymentConfirmation confirmation, IEnumerable<IReconciliationHold> holds, TimeProvider clock, ILogger<CheckoutJanitor> logger)
{
    public static readonly TimeSpan ExpiryGrace = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(7);

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Checkout> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
            var query = db.Checkouts.IgnoreQueryFilters().AsNoTracking()
                .Where(c => (c.State == CheckoutState.Pending || c.State == CheckoutState.Unknown || c.State == CheckoutState.Created
                        || c.State == CheckoutState.Failed || c.State == CheckoutState.Cancelled || c.State == CheckoutState.Expired)
                    && c.NextCheckAt != null && c.NextCheckAt <= now);
            foreach (var hold in holds)
            {
                var held = hold.HeldCheckoutIds(db);
                query = query.Where(c => !held.Contains(c.Id));
            }
            due = await query.OrderBy(c => c.NextCheckAt).Take(100).ToListAsync(ct);
        }
        var resolved = 0;
        foreach (var checkout in due)
        {
            if (!gateways.Has(checkout.Gateway))
            {
                continue;   // a gateway that does not exist here (the Pasarela de prueba in Production)
            }
            if (!await ClaimAsync(checkout, now, ct))
            {
                continue;   // another instance is asking about it right now
            }
            GatewayStatus status;
            var pastDeadline = checkout.ExpiresAt + ExpiryGrace < now;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var context = await scope.ServiceProvider.GetRequiredService<GatewayContexts>().ForAsync(checkout, ct);
                var gateway = gateways.Get(checkout.Gateway);
                status = checkout.GatewayReference is null
                    ? new GatewayStatus(GatewayOutcome.Pending, null, null, null)
                    : await gateway.QueryStatusAsync(context, checkout.ForGateway(context), ct);
                if (IsReadableMismatch(checkout, status))
                {
                    // Another amount or currency: recorded (and, in pesos, booked as saldo a favor) once by the
                    // confirmation. For this checkout nothing is paid yet, so its deadline still closes it as unpaid.
                    await confirmation.ApplyAsync(checkout.Id, status, ct);
                    status = new GatewayStatus(GatewayOutcome.Pending, null, null, checkout.GatewayReference);
                }
                // Only a clear "not paid" past our deadline ends a checkout ("cannot tell" keeps it Unknown and asked
                // about), and only once the provider cannot take the payment either: we stop asking about a closed
                // checkout, so a session left open there (Fintoc's lasts until expired) could be paid unseen if its
                // webhook were lost. The gateway closes it where its API allows, or says what it holds instead.
                if (status.Outcome == GatewayOutcome.Pending && pastDeadline)
                {
                    var after = checkout.GatewayReference is null
                        ? new GatewayStatus(GatewayOutcome.Expired, null, null, null, "El pago no se completó a tiempo.")
                        : await gateway.ExpireAsync(context, checkout.ForGateway(context), ct);
                    if (IsReadableMismatch(checkout, after))
                    {
                        // The provider's session holds that other approval (Fintoc answers with what it holds): it can
                        // take nothing more, so for this checkout it is over, unpaid.
                        await confirmation.ApplyAsync(checkout.Id, after, ct);
                        after = new GatewayStatus(GatewayOutcome.Expired, null, null, checkout.GatewayReference, "El pago no se completó a tiempo.");
                    }
                    // Expired keeps the reference the status read gave (a payment id where the provider has one).
                    status = after.Outcome == GatewayOutcome.Expired ? after with { Reference = status.Reference ?? after.Reference } : after;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning(ex, "Status of checkout {CheckoutId} still unknown; will ask again.", checkout.Id);
                continue;
            }
            // Expired ones are asked about only while the provider's session could not be closed (ExpireStillOpenAsync).
            if (checkout.State is CheckoutState.Failed or CheckoutState.Cancelled or CheckoutState.Expired)
            {
                // Already failed for the payer; only an approval changes anything now.
                if (status.Outcome == GatewayOutcome.Approved)
                {
                    if (await confirmation.ApplyAsync(checkout.Id, status, ct) == ConfirmationResult.Applied)
                    {
                        resolved++;
                    }
                }
                else if (pastDeadline && status.Outcome == GatewayOutcome.Pending)
                {
                    // The provider would not close it (the payer is in it): the documents are free, the asking goes on.
                    await confirmation.ReleaseStillOpenAsync(checkout.Id, ct);
                }
                else if (pastDeadline && status.Outcome != GatewayOutcome.Unknown)
                {
                    await confirmation.CloseAsync(checkout.Id, ct);
                }
                continue;
            }
            if (status.Outcome == GatewayOutcome.Pending && pastDeadline)
            {
                // Still open at the provider after it was asked to close: Expired here, asked about until it is over there.
                if (await confirmation.ExpireStillOpenAsync(checkout.Id, status.Reference, ct) == ConfirmationResult.Applied)
                {
                    resolved++;
                }
                continue;
            }
            if (status.Outcome is not (GatewayOutcome.Pending or GatewayOutcome.Unknown)
                && await confirmation.ApplyAsync(checkout.Id, status, ct) == ConfirmationResult.Applied)
            {
                resolved++;
            }
        }
        return resolved;
    }

    /// <summary>
    /// A portal payment's approval of another amount or currency, read whole: booked apart by the confirmation, and
    /// for the checkout itself nothing paid. (One read without its amount is not that: it stays Unknown, never
    /// expired; a service contract keeps its mismatch Unknown with its reason, as before.)
    /// </summary>
    private static bool IsReadableMismatch(Checkout checkout, GatewayStatus status) =>
        checkout.Purpose == CheckoutPurpose.DocumentPayment && status.Outcome == GatewayOutcome.Approved
        && status.Amount is not null && !string.IsNullOrWhiteSpace(status.Currency) && !PaymentConfirmation.Matches(checkout, status);

    /// <summary>Moves NextCheckAt to the next step of the backoff, only if nobody else did since we read it.</summary>
    private async Task<bool> ClaimAsync(Checkout checkout, DateTime now, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        // An Expired checkout is asked about only while its provider session is still open (the payer in it): daily,
        // past GiveUpAfter too, until the provider says it is over, so a payment there is never left unseen.
        DateTime? next = now - checkout.CreatedAt > GiveUpAfter && checkout.State != CheckoutState.Expired
            ? null : now + Backoff.CheckoutStatus.After(checkout.StatusChecks + 1);
        // Giving up on a Created or Pending checkout leaves it Unknown in the same statement: that is what En revisión
        // lists (its documents stay locked), where a person can ask the provider again. This last answer still applies.
        var giveUp = next is null;
        var reason = $"Sin respuesta verificada de {checkout.Gateway.Name()} en {GiveUpAfter.TotalDays:0} días: revisa el pago en la pasarela.";
        var claimed = await db.Checkouts.IgnoreQueryFilters()
            .Where(c => c.Id == checkout.Id && c.NextCheckAt == checkout.NextCheckAt && c.StatusChecks == checkout.StatusChecks)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.NextCheckAt, next)
                .SetProperty(c => c.StatusChecks, c => c.StatusChecks + 1)
                .SetProperty(c => c.State, c => giveUp && (c.State == CheckoutState.Created || c.State == CheckoutState.Pending) ? CheckoutState.Unknown : c.State)
                .SetProperty(c => c.FailureReason, c => giveUp && (c.State == CheckoutState.Created || c.State == CheckoutState.Pending) ? reason : c.FailureReason)
                .SetProperty(c => c.UpdatedAt, c => giveUp && (c.State == CheckoutState.Created || c.State == CheckoutState.Pending) ? now : c.UpdatedAt), ct) == 1;
        if (claimed && giveUp)
        {
            logger.LogWarning("Checkout {CheckoutId} still has no verified answer after {Days} days; left for review.", checkout.Id, GiveUpAfter.TotalDays);
        }
        return claimed;
    }
}

public sealed class CheckoutJanitorWorker(CheckoutJanitor janitor, IConfiguration configuration, ILogger<CheckoutJanitorWorker> logger)
    : Platform.Jobs.PeriodicWorker(configuration, logger, TimeSpan.FromMinutes(1), runAtStart: false)
{
    protected override Task RunOnceAsync(CancellationToken ct) => janitor.RunAsync(ct);
}
