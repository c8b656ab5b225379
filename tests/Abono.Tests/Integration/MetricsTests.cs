using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Abono.Tests.Integration;

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
}
