using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Abono.Web.Platform.Observability;

/// <summary>
/// Traces and metrics through OpenTelemetry (ASP.NET Core, HttpClient, Npgsql) plus the figures the business cares
/// about. Exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is configured. Tags never carry personal data.
/// </summary>
public sealed class AbonoMetrics
{
    public const string MeterName = "Abono";
    private readonly Counter<long> _checkoutsStarted;
    private readonly Counter<long> _checkoutsFinished;
    private readonly Counter<long> _outboxSent;
    private readonly Counter<long> _outboxFailed;
    private readonly Histogram<double> _webhookLag;

    public AbonoMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _checkoutsStarted = meter.CreateCounter<long>("abono.checkouts.started", description: "Checkouts sent to a gateway");
        _checkoutsFinished = meter.CreateCounter<long>("abono.checkouts.finished", description: "Checkouts that reached a final or unknown state, by state");
        _outboxSent = meter.CreateCounter<long>("abono.outbox.sent", description: "Outbox messages delivered, by kind");
        _outboxFailed = meter.CreateCounter<long>("abono.outbox.failed", description: "Outbox delivery attempts that failed, by kind");
        _webhookLag = meter.CreateHistogram<double>("abono.webhooks.processing_lag", unit: "s",
            description: "From a gateway webhook's arrival to its processing, by gateway and outcome");
    }

    public void CheckoutStarted(string gateway, string purpose) =>
        _checkoutsStarted.Add(1, new KeyValuePair<string, object?>("gateway", gateway), new KeyValuePair<string, object?>("purpose", purpose));

    public void CheckoutFinished(string state, string purpose) =>
        _checkoutsFinished.Add(1, new KeyValuePair<string, object?>("state", state), new KeyValuePair<string, object?>("purpose", purpose));

    public void OutboxSent(string kind) => _outboxSent.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void OutboxFailed(string kind) => _outboxFailed.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void WebhookProcessed(string gateway, string outcome, TimeSpan lag) =>
        _webhookLag.Record(lag.TotalSeconds, new KeyValuePair<string, object?>("gateway", gateway), new KeyValuePair<string, object?>("outcome", outcome));
}

public static class TelemetryExtensions
{
    public static IHostApplicationBuilder AddAbonoTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AbonoMetrics>();
        builder.Services.AddSingleton<BacklogGauges>();
        builder.Services.AddSingleton<IBacklogSample>(sp => sp.GetRequiredService<BacklogGauges>());
        builder.Services.AddHostedService<BacklogSampler>();
        // The SDK records an activity for every request and every SQL command once it listens; with nowhere to send
        // them that is pure cost (measured: most of the portal page's overhead over raw Npgsql in bench/load.sh).
        // The meters above stay readable by any MeterListener (dotnet-counters) either way.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsql())
                .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddMeter(AbonoMetrics.MeterName))
                .UseOtlpExporter();
        }
        return builder;
    }
}
