using Abono.Web.Data;
using Abono.Web.Gateways;
using Abono.Web.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments.Inbox;

/// <summary>
/// Works through stored webhooks. Each batch is claimed with a lease by a guarded UPDATE, so instances never process
/// the same event at once and one held by a dead instance is taken over when the lease ends. Each event is turned
/// into the checkout it concerns and that checkout's current status at the provider, then applied through
/// <see cref="PaymentConfirmation"/> — idempotent, so a duplicate that slips past the unique key still changes
/// nothing twice. Events about a checkout we cannot find yet are retried with backoff, not dropped.
/// </summary>
public sealed class InboxProcessor(IServiceScopeFactory scopes, GatewayRegistry gateways, PaymentConfirmation confirmation, IConfiguration configuration,
    TimeProvider clock, ILogger<InboxProcessor> logger, Platform.Observability.AbonoMetrics metrics)
{
    public TimeSpan Lease { get; } = TimeSpan.FromSeconds(configuration.GetValue("Inbox:LeaseSeconds", 120));
    public const int MaxAttempts = 12;

    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Guid owner;
        List<InboxEvent> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
            (owner, claimed) = await LeaseClaim.ClaimAsync(db.InboxEvents, e => e.ProcessedAt == null && e.NextAttemptAt <= now, now, Lease, 50, ct);
        }
        foreach (var inboxEvent in claimed)
        {
            try
            {
                var (outcome, checkoutId) = await ProcessAsync(inboxEvent, ct);
                await FinishAsync(inboxEvent, owner, outcome, checkoutId, ct);
                metrics.WebhookProcessed(inboxEvent.Gateway.ToString(), outcome, clock.GetUtcNow().UtcDateTime - inboxEvent.ReceivedAt);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                await RetryAsync(inboxEvent, owner, ex.Message, ct);
            }
        }
        return claimed.Count;
    }

    private async Task<(string Outcome, Guid? CheckoutId)> ProcessAsync(InboxEvent inboxEvent, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var context = await scope.ServiceProvider.GetRequiredService<GatewayContexts>().ForWebhookAsync(inboxEvent.Gateway, inboxEvent.WebhookKey, ct);
        if (context is null)
        {
            return ("ignored", null);   // the method was deleted since: nothing of ours to update
        }
        var resolution = await gateways.Get(inboxEvent.Gateway).ResolveWebhookAsync(context,
            new GatewayWebhook(inboxEvent.EventId, inboxEvent.Type, inboxEvent.ResourceId, inboxEvent.Body), ct);
        if (resolution.Ignored || resolution.CheckoutId is not { } checkoutId || resolution.Status is not { } status)
        {
            return ("ignored", null);
        }
        var checkout = await db.Checkouts.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Id == checkoutId).Select(c => new { c.Gateway, c.PaymentMethodId }).SingleOrDefaultAsync(ct)
            ?? throw new CheckoutNotYetKnownException(checkoutId);
        // The account that signed the event must be the one the checkout was paid into: a merchant's own account
        // cannot confirm another company's checkout by naming it in external_reference.
        var expectedKey = checkout.PaymentMethodId is { } methodId ? WebhookKeys.ForMethod(methodId) : WebhookKeys.Platform;
        if (checkout.Gateway != inboxEvent.Gateway || expectedKey != inboxEvent.WebhookKey)
        {
            logger.LogWarning("{Gateway} webhook {EventId} names checkout {CheckoutId} of another account; ignored.", inboxEvent.Gateway, inboxEvent.EventId, checkoutId);
            return ("foreign", checkoutId);
        }
        var result = await confirmation.ApplyAsync(checkoutId, status, ct);
        return (result switch
        {
            ConfirmationResult.Applied => "applied",
            ConfirmationResult.AlreadyApplied => "duplicate",
            ConfirmationResult.Mismatch => "mismatch",
            _ => "pending",
        }, checkoutId);
    }

    private async Task FinishAsync(InboxEvent inboxEvent, Guid owner, string outcome, Guid? checkoutId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var at = clock.GetUtcNow().UtcDateTime;
        await db.Set<InboxEvent>().Where(e => e.Id == inboxEvent.Id && e.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessedAt, at).SetProperty(e => e.Outcome, outcome).SetProperty(e => e.CheckoutId, checkoutId)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1).SetProperty(e => e.LeaseOwner, (Guid?)null).SetProperty(e => e.LeaseUntil, (DateTime?)null), ct);
    }

    private async Task RetryAsync(InboxEvent inboxEvent, Guid owner, string error, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var attempts = inboxEvent.Attempts + 1;
        var at = clock.GetUtcNow().UtcDateTime;
        var dead = attempts >= MaxAttempts;
        error = error.Length > 900 ? error[..900] : error;
        logger.LogWarning("{Gateway} webhook {EventId} not processed (attempt {Attempts}{Final}): {Error}",
            inboxEvent.Gateway, inboxEvent.EventId, attempts, dead ? ", giving up" : "", error);
        await db.Set<InboxEvent>().Where(e => e.Id == inboxEvent.Id && e.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Attempts, attempts).SetProperty(e => e.LastError, error)
                .SetProperty(e => e.NextAttemptAt, at + Backoff.Inbox.After(attempts))
                .SetProperty(e => e.ProcessedAt, dead ? at : null).SetProperty(e => e.Outcome, dead ? "dead" : null)
                .SetProperty(e => e.LeaseOwner, (Guid?)null).SetProperty(e => e.LeaseUntil, (DateTime?)null), CancellationToken.None);
    }
}

public sealed class CheckoutNotYetKnownException(Guid checkoutId) : Exception($"Checkout {checkoutId} is not (yet) in the database.");

/// <summary>Wakes the inbox worker as soon as a webhook is stored, so processing lag is milliseconds, not a polling interval.</summary>
public sealed class InboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

public sealed class InboxWorker(InboxProcessor processor, InboxSignal signal, IConfiguration configuration, ILogger<InboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Jobs:Enabled", true))
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await processor.RunOnceAsync(stoppingToken) > 0)
                {
                }
                await signal.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Inbox processing failed; it runs again shortly.");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
