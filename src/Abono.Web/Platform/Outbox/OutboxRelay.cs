using System.Text.Json;
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
public sealed class OutboxRelay(IServiceScopeFactory scopes, IEmailSender email, Features.Webhooks.WebhookSender webhooks, TimeProvider clock, ILogger<OutboxRelay> logger,
    Observability.AbonoMetrics metrics, IConfiguration configuration)
{
    /// <summary>How long a claimed batch stays ours; an instance that dies loses its rows to others after this.</summary>
    public TimeSpan Lease { get; } = TimeSpan.FromSeconds(configuration.GetValue("Outbox:LeaseSeconds", 120));
    private static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
    ];

    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var owner = Guid.NewGuid();
        var candidates = await db.Outbox
            .Where(m => m.SentAt == null && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.Id).Select(m => m.Id).Take(20).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return 0;
        }
        await db.Outbox
            // Re-check everything the candidate query checked: another relay may have tried (and failed) meanwhile.
            .Where(m => candidates.Contains(m.Id) && m.SentAt == null && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, owner).SetProperty(m => m.LeaseUntil, now + Lease), ct);
        var claimed = await db.Outbox.AsNoTracking().Where(m => m.LeaseOwner == owner).OrderBy(m => m.Id).ToListAsync(ct);

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
                var retryAt = clock.GetUtcNow().UtcDateTime + Backoff[Math.Min(attempts, Backoff.Length) - 1];
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

    private Task DeliverAsync(OutboxMessage message, CancellationToken ct) => message.Kind switch
    {
        OutboxMessage.EmailKind => email.SendAsync(JsonSerializer.Deserialize<EmailMessage>(message.Payload)! with { MessageId = $"outbox-{message.Id}@abono.cl", CompanyId = message.CompanyId }, ct),
        Features.Webhooks.Webhooks.OutboxKind => webhooks.SendAsync(long.Parse(message.Payload, System.Globalization.CultureInfo.InvariantCulture), ct),
        _ => throw new InvalidOperationException($"Unknown outbox message kind '{message.Kind}'."),
    };
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
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddSingleton<Features.Webhooks.Webhooks>();
        builder.Services.AddSingleton<Features.Webhooks.WebhookSender>();
        // Webhook URLs are typed by tenants: only through the guard's handler (checked addresses, no redirects).
        builder.Services.AddHttpClient(Features.Webhooks.WebhookSender.HttpClientName, c => c.Timeout = Web.OutboundUrlGuard.TotalTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<Web.OutboundUrlGuard>().CreateHandler());
        builder.Services.AddHostedService<OutboxRelayWorker>();
        return builder;
    }
}
