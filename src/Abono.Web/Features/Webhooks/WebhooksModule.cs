using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Web;

namespace Abono.Web.Features.Webhooks;

/// <summary>Webhooks a company subscribes to (Configuración → Webhooks), delivered through the outbox.</summary>
public static class WebhooksModule
{
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Webhooks>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<IOutboxHandler, WebhookOutboxHandler>();
        // Webhook URLs are typed by tenants: only through the guard's handler (checked addresses, no redirects).
        builder.Services.AddHttpClient(WebhookSender.HttpClientName, c => c.Timeout = OutboundUrlGuard.TotalTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundUrlGuard>().CreateHandler());
        return builder;
    }

    private sealed class WebhookOutboxHandler(WebhookSender sender) : IOutboxHandler
    {
        public string Kind => Webhooks.OutboxKind;

        public Task DeliverAsync(OutboxMessage message, CancellationToken ct) =>
            sender.SendAsync(long.Parse(message.Payload, System.Globalization.CultureInfo.InvariantCulture), ct);
    }
}
