using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Abono.Tests.Platform;

public class MetricsTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Checkouts_are_counted_by_gateway_purpose_and_final_state()
    {
        var scope = factory.Services.GetRequiredService<IMeterFactory>();
        var measured = new ConcurrentQueue<(string Name, long Value, string Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Abono" && instrument.Meter.Scope == scope)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measured.Enqueue((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();

        var merchant = await Merchant.SignUpAsync(factory);
        var confirm = await merchant.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos");
        var sandbox = await merchant.Client.SubmitAsync(confirm, new Dictionary<string, string?>());
        await merchant.Client.SubmitAsync(sandbox, new Dictionary<string, string?>(), button: "button[value=aprobar]");

        Assert.Contains(measured, m => m.Name == "abono.checkouts.started" && m.Tags.Contains("gateway=Sandbox") && m.Tags.Contains("purpose=ServiceContract"));
        Assert.Contains(measured, m => m.Name == "abono.checkouts.finished" && m.Tags.Contains("state=Succeeded"));
        Assert.DoesNotContain(measured, m => m.Tags.Contains(merchant.Email));
    }

    [Fact]
    public async Task Backlog_gauges_report_what_waits_in_the_outbox_and_the_webhook_inbox()
    {
        var clock = factory.Services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        var gauges = factory.Services.GetRequiredService<Abono.Web.Platform.Observability.BacklogGauges>();
        var inboxGauges = factory.Services.GetRequiredService<Abono.Web.Features.Payments.PaymentBacklogGauges>();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Abono.Web.Data.AbonoDbContext>();
        await gauges.SampleAsync(db, now, default);
        await inboxGauges.SampleAsync(db, now, default);
        var before = gauges.Last;
        var inboxBefore = inboxGauges.Last;
        db.Outbox.Add(Abono.Web.Platform.Outbox.OutboxMessage.Email(null, new Abono.Web.Platform.Outbox.EmailMessage("x@abono.cl", "s", "b"), now.AddMinutes(-3)));
        db.InboxEvents.Add(new Abono.Web.Features.Payments.Inbox.InboxEvent
        {
            Gateway = Abono.Web.Gateways.GatewayKind.Stripe, EventId = "evt_gauge_" + Guid.NewGuid().ToString("N"), WebhookKey = "m1", Type = "checkout.session.completed",
            ResourceId = "cs_1", Body = "{}", ReceivedAt = now.AddSeconds(-90), NextAttemptAt = now.AddHours(1),
        });
        await db.SaveChangesAsync();

        await gauges.SampleAsync(db, now, default);
        await inboxGauges.SampleAsync(db, now, default);
        Assert.Equal(before.OutboxBacklog + 1, gauges.Last.OutboxBacklog);
        Assert.Equal(inboxBefore.InboxBacklog + 1, inboxGauges.Last.InboxBacklog);
        Assert.True(gauges.Last.OutboxOldestSeconds >= 180);
        Assert.True(inboxGauges.Last.InboxOldestSeconds >= 90);
    }
}
