using Abono.Web.Data;
using Abono.Web.Gateways;
using Abono.Web.Platform.Jobs;
using Abono.Web.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments;

public enum ConfirmationResult
{
    /// <summary>This call moved the checkout (and, on success, applied the business effect).</summary>
    Applied,

    /// <summary>Another call already did; nothing changed.</summary>
    AlreadyApplied,

    /// <summary>The gateway's answer did not match the checkout (amount or currency): kept as Unknown for review.</summary>
    Mismatch,

    /// <summary>Still pending at the gateway.</summary>
    StillPending,
}

/// <summary>
/// Applies a verified gateway answer to a checkout. One transaction: a guarded UPDATE moves the state only from a
/// state that allows it, so of any number of concurrent calls (return page, webhook, reconciliation) exactly one
/// sees a row change and applies the effect and its outbox messages; the rest change nothing.
/// An approval is booked exactly once whatever state the checkout is in: its (checkout, provider reference) row in
/// CheckoutApprovals is inserted first, in the same transaction, so a duplicate inserts nothing; the first approval
/// settles the checkout (from Failed, Cancelled or Expired too: a late approval), any other one is booked as a
/// payment of its own for review. Only a verified provider answer reaches this class.
/// </summary>
public sealed class PaymentConfirmation(IServiceScopeFactory scopes, IEnumerable<IPaymentEffect> effects, GatewayRegistry gateways, TimeProvider clock,
    ILogger<PaymentConfirmation> logger, Platform.Observability.AbonoMetrics metrics)
{
    public async Task<ConfirmationResult> ApplyAsync(Guid checkoutId, GatewayStatus status, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var checkout = await CheckoutById(db, checkoutId) ?? throw new InvalidOperationException($"Checkout {checkoutId} does not exist.");
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(checkout.CompanyId);
        var now = clock.GetUtcNow().UtcDateTime;

        switch (status.Outcome)
        {
            case GatewayOutcome.Approved when !Matches(checkout, status):
                logger.LogWarning("Checkout {CheckoutId}: gateway confirmed {Amount} {Currency}, expected {Expected} {ExpectedCurrency}.",
                    checkoutId, status.Amount, status.Currency, checkout.Amount, checkout.Currency);
                return await MismatchAsync(db, checkout, status, now, ct);

            case GatewayOutcome.Approved:
                return await SucceedAsync(db, checkout, status, now, ct);

            case GatewayOutcome.Rejected:
                return await FailAsync(db, checkout, CheckoutState.Failed, now, status, ct);
            case GatewayOutcome.Cancelled:
                return await FailAsync(db, checkout, CheckoutState.Cancelled, now, status, ct);
            case GatewayOutcome.Expired:
                return await FailAsync(db, checkout, CheckoutState.Expired, now, status, ct);

            case GatewayOutcome.Unknown:
                return await MoveAsync(db, checkoutId, CheckoutState.Unknown, now, status.Reference, status.Reason, ct) ? ConfirmationResult.Applied : ConfirmationResult.AlreadyApplied;

            default:
                // Back to Pending from Created, or from Unknown while reconciliation still asks about it: one it gave up
                // on stays Unknown, where En revisión shows it.
                await db.Checkouts.IgnoreQueryFilters()
                    .Where(c => c.Id == checkoutId && (c.State == CheckoutState.Created || (c.State == CheckoutState.Unknown && c.NextCheckAt != null)))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(c => c.State, CheckoutState.Pending)
                        .SetProperty(c => c.UpdatedAt, now)
                        .SetProperty(c => c.GatewayReference, c => status.Reference ?? c.GatewayReference), ct);
                return ConfirmationResult.StillPending;
        }
    }

    /// <summary>Whether an approval is for this checkout's amount and currency (anything else is a mismatch, booked apart).</summary>
    public static bool Matches(Checkout checkout, GatewayStatus status) =>
        status.Amount == checkout.Amount && string.Equals(status.Currency?.Trim(), checkout.Currency, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The provider can no longer approve this failed checkout (its own session is over): stop asking about it and
    /// free its documents for another payment.
    /// </summary>
    public async Task CloseAsync(Guid checkoutId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var checkout = await db.Checkouts.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == checkoutId, ct);
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(checkout.CompanyId);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.Checkouts.Where(c => c.Id == checkoutId && (c.State == CheckoutState.Failed || c.State == CheckoutState.Cancelled || c.State == CheckoutState.Expired))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextCheckAt, (DateTime?)null), ct) == 1)
        {
            await Effect(checkout.Purpose).ReleaseAsync(db, checkout, clock.GetUtcNow().UtcDateTime, ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Our deadline passed and the provider could not close its session (the payer is still in it): Expired for the
    /// payer, its documents free for another payment, while reconciliation keeps asking (NextCheckAt stays as the
    /// janitor set it), so an approval that still comes is booked as a late one.
    /// </summary>
    public async Task<ConfirmationResult> ExpireStillOpenAsync(Guid checkoutId, string? reference, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var checkout = await CheckoutById(db, checkoutId) ?? throw new InvalidOperationException($"Checkout {checkoutId} does not exist.");
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(checkout.CompanyId);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await MoveAsync(db, checkoutId, CheckoutState.Expired, now, reference, "El pago no se completó a tiempo.", ct))
        {
            return ConfirmationResult.AlreadyApplied;
        }
        await Effect(checkout.Purpose).ReleaseAsync(db, checkout, now, ct);
        await transaction.CommitAsync(ct);
        metrics.CheckoutFinished(nameof(CheckoutState.Expired), checkout.Purpose.ToString());
        return ConfirmationResult.Applied;
    }

    /// <summary>
    /// A failed checkout past its deadline whose provider session is still open: its documents are freed for another
    /// payment, and reconciliation keeps asking about it (an approval still arriving is booked as a late one).
    /// </summary>
    public async Task ReleaseStillOpenAsync(Guid checkoutId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var checkout = await CheckoutById(db, checkoutId) ?? throw new InvalidOperationException($"Checkout {checkoutId} does not exist.");
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(checkout.CompanyId);
        if (checkout.State is CheckoutState.Failed or CheckoutState.Cancelled or CheckoutState.Expired)
        {
            await Effect(checkout.Purpose).ReleaseAsync(db, checkout, clock.GetUtcNow().UtcDateTime, ct);
        }
    }

    private async Task<ConfirmationResult> SucceedAsync(AbonoDbContext db, Checkout checkout, GatewayStatus status, DateTime now, CancellationToken ct)
    {
        var reference = Cut(status.Reference ?? checkout.GatewayReference ?? checkout.Id.ToString());
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The guarded move first (it also stops reconciliation asking), then the exactly-once key: a duplicate of this
        // approval (same provider reference) inserts nothing, and rolling back undoes the move with it. Two statements
        // where there were four (issue #19): the approval row says at once whether it settled the checkout.
        var settled = await MoveAsync(db, checkout.Id, CheckoutState.Succeeded, now, reference, null, ct, stopChecking: true);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "CheckoutApprovals" ("CompanyId", "CheckoutId", "ProviderReference", "Amount", "SettledCheckout", "RecordedAt", "AmountMismatch")
            VALUES ({checkout.CompanyId}, {checkout.Id}, {reference}, {status.Amount ?? checkout.Amount}, {settled}, {now}, {false})
            ON CONFLICT ("CheckoutId", "ProviderReference") DO NOTHING
            """, ct);
        if (inserted != 1)
        {
            await transaction.RollbackAsync(ct);
            return ConfirmationResult.AlreadyApplied;
        }
        var effect = Effect(checkout.Purpose);
        if (settled)
        {
            // The effect gets the checkout as this call moved it (no need to read it back).
            checkout.State = CheckoutState.Succeeded;
            checkout.GatewayReference = reference;
            checkout.CompletedAt = now;
            checkout.NextCheckAt = null;
            await effect.ApplyAsync(db, checkout, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            metrics.CheckoutFinished(nameof(CheckoutState.Succeeded), checkout.Purpose.ToString());
            logger.LogInformation("Checkout {CheckoutId} succeeded for {Amount} {Currency}.", checkout.Id, checkout.Amount, checkout.Currency);
            return ConfirmationResult.Applied;
        }
        // Already settled by another approval: the provider holds this money too, so it is booked, never dropped.
        await effect.ApplyAdditionalApprovalAsync(db, checkout, reference, checkout.Amount, now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogWarning("Checkout {CheckoutId} received a further approval {Reference} for {Amount}; booked for review.", checkout.Id, reference, checkout.Amount);
        return ConfirmationResult.Applied;
    }

    /// <summary>
    /// A verified approval of another amount or currency. The provider holds that money, so like any approval it is
    /// recorded exactly once (its provider reference is the key) and, in the checkout's currency, booked as saldo a
    /// favor of the amount approved, never against the documents; in another currency nothing can be booked and En
    /// revisión lists it until someone marks it reviewed. An open checkout also goes to Unknown for a person (its
    /// documents stay locked): a later approval of the right amount still settles it, and reconciliation treats the
    /// checkout as unpaid for its deadline.
    /// </summary>
    private async Task<ConfirmationResult> MismatchAsync(AbonoDbContext db, Checkout checkout, GatewayStatus status, DateTime now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var readable = status.Amount is not null && !string.IsNullOrWhiteSpace(status.Currency);
        var moved = await MoveAsync(db, checkout.Id, CheckoutState.Unknown, now, status.Reference, readable
            ? "La pasarela confirmó un monto distinto al del pago; requiere revisión."
            : "La pasarela confirmó el pago sin un monto o una moneda legible; requiere revisión.", ct);
        if (status.Amount is not { } approved || status.Currency is not { } approvedIn || string.IsNullOrWhiteSpace(approvedIn))
        {
            // An answer without an amount or a currency is one we could not read whole, not a payment of another
            // amount: it claims no booking key (the next read of the same payment must still be able to settle it).
            await transaction.CommitAsync(ct);
            return ConfirmationResult.Mismatch;
        }
        // A provider that names no payment of its own gets the checkout's reference: then this is taken for the
        // approval already recorded under it, never booked a second time.
        var reference = Cut(status.Reference ?? checkout.GatewayReference ?? checkout.Id.ToString());
        var currency = Cut(approvedIn.Trim().ToUpperInvariant(), 10);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "CheckoutApprovals" ("CompanyId", "CheckoutId", "ProviderReference", "Amount", "SettledCheckout", "RecordedAt", "AmountMismatch", "Currency")
            VALUES ({checkout.CompanyId}, {checkout.Id}, {reference}, {approved}, {false}, {now}, {true}, {currency})
            ON CONFLICT ("CheckoutId", "ProviderReference") DO NOTHING
            """, ct) == 1;
        if (inserted && approved > 0 && string.Equals(currency, checkout.Currency, StringComparison.OrdinalIgnoreCase))
        {
            await Effect(checkout.Purpose).ApplyAdditionalApprovalAsync(db, checkout, reference, approved, now, ct);
            await db.SaveChangesAsync(ct);
            logger.LogWarning("Checkout {CheckoutId} received an approval {Reference} for {Amount} instead of {Expected}; booked as saldo a favor for review.",
                checkout.Id, reference, approved, checkout.Amount);
        }
        else if (inserted)
        {
            logger.LogWarning("Checkout {CheckoutId} received an approval {Reference} for {Amount} {Currency}; listed for review, nothing booked.",
                checkout.Id, reference, approved, currency);
        }
        await transaction.CommitAsync(ct);
        if (moved)
        {
            metrics.CheckoutFinished(nameof(CheckoutState.Unknown), checkout.Purpose.ToString());
        }
        return moved || inserted ? ConfirmationResult.Mismatch : ConfirmationResult.AlreadyApplied;
    }

    private async Task<ConfirmationResult> FailAsync(AbonoDbContext db, Checkout checkout, CheckoutState state, DateTime now, GatewayStatus status, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await MoveAsync(db, checkout.Id, state, now, status.Reference, status.Reason, ct))
        {
            return ConfirmationResult.AlreadyApplied;
        }
        if (state == CheckoutState.Expired || !gateways.Has(checkout.Gateway) || gateways.Get(checkout.Gateway).Capabilities.HasFlag(GatewayCapabilities.TerminalFailures))
        {
            // Nothing can approve it any more: free its documents and stop asking.
            await db.Checkouts.Where(c => c.Id == checkout.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.NextCheckAt, (DateTime?)null), ct);
            await Effect(checkout.Purpose).ReleaseAsync(db, checkout, now, ct);
        }
        else
        {
            // The provider may still approve it (another card in the same preference, the same session reopened):
            // the documents stay locked and reconciliation keeps asking until the provider's own deadline has passed.
            await db.Checkouts.Where(c => c.Id == checkout.Id && c.NextCheckAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextCheckAt, now + Backoff.CheckoutStatus.Initial), ct);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        metrics.CheckoutFinished(state.ToString(), checkout.Purpose.ToString());
        return ConfirmationResult.Applied;
    }

    /// <summary>UPDATE ... WHERE Id = @id AND State IN (states that may move to @to): true when this call moved it.</summary>
    /// <param name="stopChecking">Also clear NextCheckAt in the same statement (nothing is left to ask the provider).</param>
    internal static async Task<bool> MoveAsync(AbonoDbContext db, Guid checkoutId, CheckoutState to, DateTime now, string? reference, string? reason, CancellationToken ct,
        bool stopChecking = false)
    {
        var sources = CheckoutStateMachine.SourcesOf(to);
        var final = CheckoutStateMachine.IsFinal(to);
        var changed = await db.Checkouts.IgnoreQueryFilters()
            .Where(c => c.Id == checkoutId && sources.Contains(c.State))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.State, to)
                .SetProperty(c => c.UpdatedAt, now)
                .SetProperty(c => c.CompletedAt, c => final ? now : c.CompletedAt)
                .SetProperty(c => c.GatewayReference, c => reference ?? c.GatewayReference)
                .SetProperty(c => c.FailureReason, c => reason ?? c.FailureReason)
                .SetProperty(c => c.NextCheckAt, c => stopChecking ? null : c.NextCheckAt), ct);
        return changed == 1;
    }

    /// <summary>Every confirmation starts here (return page, webhook, reconciliation): compiled once, not translated per call (issue #19).</summary>
    private static readonly Func<AbonoDbContext, Guid, Task<Checkout?>> CheckoutById =
        EF.CompileAsyncQuery((AbonoDbContext db, Guid id) => db.Checkouts.IgnoreQueryFilters().AsNoTracking().SingleOrDefault(c => c.Id == id));

    private static string Cut(string value, int length = 100) => value.Length > length ? value[..length] : value;

    private IPaymentEffect Effect(CheckoutPurpose purpose) =>
        effects.SingleOrDefault(e => e.Purpose == purpose)
            ?? throw new InvalidOperationException($"No payment effect is registered for {purpose}.");
}
