using Abono.Web.Data;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Platform.Jobs;
using Abono.Web.Platform.Observability;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Payments;

/// <summary>
/// The payment engine: checkouts and their state machine, starting them at a gateway, verified confirmation (applied
/// to the books through each purpose's <see cref="IPaymentEffect"/>), the webhook inbox and the checkout janitor.
/// </summary>
public static class PaymentsModule
{
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<GatewayContexts>();
        builder.Services.AddScoped<CheckoutStarter>();
        builder.Services.AddSingleton<PaymentConfirmation>();
        builder.Services.AddSingleton<CheckoutJanitor>();
        builder.Services.AddHostedService<CheckoutJanitorWorker>();
        builder.Services.AddSingleton<InboxSignal>();
        builder.Services.AddSingleton<InboxProcessor>();
        builder.Services.AddHostedService<InboxWorker>();
        builder.Services.AddSingleton<PaymentBacklogGauges>();
        builder.Services.AddSingleton<IBacklogSample>(sp => sp.GetRequiredService<PaymentBacklogGauges>());
        builder.Services.AddSingleton<ICleanupTask, ProcessedWebhooksCleanup>();
        return builder;
    }

    public static WebApplication MapPayments(this WebApplication app)
    {
        app.MapGatewayWebhooks();
        return app;
    }

    /// <summary>Processed webhooks are kept 30 days for support, then deleted.</summary>
    private sealed class ProcessedWebhooksCleanup : ICleanupTask
    {
        public Task<int> DeleteExpiredAsync(AbonoDbContext db, DateTime now, CancellationToken ct) =>
            db.InboxEvents.Where(e => e.ProcessedAt != null && e.ProcessedAt < now - CleanupJob.KeepHistory).ExecuteDeleteAsync(ct);
    }
}
