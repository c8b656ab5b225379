using Abono.Web.Data;
using Abono.Web.Platform.Email;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Platform.Outbox;

/// <summary>
/// Delivers outbox messages. Each batch is claimed with a lease by a guarded UPDATE (only rows whose lease is free),
/// so several instances never send the same message at once, and a message held by an instance that died is taken
/// over when its lease expires. Failures retry with growing delays. Delivery is at least once: a crash between the
/// SMTP answer and marking the row sent can repeat one email, never lose it.
/// </summary>
public sealed class OutboxRelay(IServiceScopeFactory scopes, IEnumerable<IOutboxHandler> handlers, TimeProvider clock, ILogger<OutboxRelay> logger,
    Observability.AbonoMetrics metrics, IConfiguration configuration)
{
    private readonly Dictionary<string, IOutboxHandler> _handlers = handlers.ToDictionary(h => h.Kind);

    /// <summary>How long a claimed batch stays ours; an instance that dies loses its rows to others after this.</summary>
    public TimeSpan Lease { get; } = TimeSpan.FromSeconds(configuration.GetValue("Outbox:LeaseSeconds", 120));

    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var (owner, claimed) = await Jobs.LeaseClaim.ClaimAsync(db.Outbox, m => m.SentAt == null && m.NextAttemptAt <= now, now, Lease, 20, ct);

        var sent = 0;
        foreach (var message in claimed)
        {
            try
            {
                await DeliverAsync(message, ct);
                var at = clock.GetUtcNow().UtcDateTime;
                await db.Outbox.Where(m => m.Id == message.Id && m.LeaseOwner == owner)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, at).SetProperty(m => m.LeaseOwner, (Guid?)null)
                        .SetProperty(m => m.LeaseUntil, (DateTime?)null).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
                sent++;
                metrics.OutboxSent(message.Kind);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.OutboxFailed(message.Kind);
                var attempts = message.Attempts + 1;
                var retryAt = clock.GetUtcNow().UtcDateTime + Jobs.Backoff.Outbox.After(attempts);
                var error = ex.Message.Length > 900 ? ex.Message[..900] : ex.Message;
                logger.LogWarning("Outbox message {MessageId} failed (attempt {Attempts}); retrying at {RetryAt}: {Error}", message.Id, attempts, retryAt, error);
                await db.Outbox.Where(m => m.Id == message.Id && m.LeaseOwner == owner)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, retryAt)
                        .SetProperty(m => m.LastError, error).SetProperty(m => m.LeaseOwner, (Guid?)null)
                        .SetProperty(m => m.LeaseUntil, (DateTime?)null), CancellationToken.None);
            }
        }
        return sent;
    }

    private Task DeliverAsync(OutboxMessage message, CancellationToken ct) =>
        _handlers.TryGetValue(message.Kind, out var handler)
            ? handler.DeliverAsync(message, ct)
            : throw new InvalidOperationException($"Unknown outbox message kind '{message.Kind}'.");
}

public sealed class OutboxRelayWorker(OutboxRelay relay, IConfiguration configuration, ILogger<OutboxRelayWorker> logger)
    : Jobs.PeriodicWorker(configuration, logger, TimeSpan.FromSeconds(configuration.GetValue("Outbox:PollSeconds", 5)), runAtStart: false)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        // Drain: keep going while batches come back full of work.
        while (await relay.RunOnceAsync(ct) > 0)
        {
        }
    }
}

public static class OutboxExtensions
{
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<SmtpOptions>(builder.Configuration.GetSection("Smtp"));
        // No SMTP host in Development: emails land as .eml files (see /dev/correos).
        if (string.IsNullOrWhiteSpace(builder.Configuration["Smtp:Host"]) && builder.Environment.IsDevelopment())
        {
            builder.Services.AddSingleton<PickupFolderEmailSender>();
            builder.Services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<PickupFolderEmailSender>());
        }
        else
        {
            builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        }
        builder.Services.AddSingleton<IOutboxHandler, EmailOutboxHandler>();
        builder.Services.AddSingleton<IOutboxHandler, RenderedEmailOutboxHandler>();
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService<OutboxRelayWorker>();
        return builder;
    }
}
