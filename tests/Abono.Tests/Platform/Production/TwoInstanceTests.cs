using System.Collections.Concurrent;
using System.Diagnostics;
using Abono.FakeGateways;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Xunit.Abstractions;

namespace Abono.Tests.Platform.Production;

/// <summary>
/// Two real Abono processes on one PostgreSQL database. 200 portal payments are made at the (fake) Mercado Pago; their
/// signed webhooks are delivered to both instances, concurrently, three times each; one instance is SIGKILLed
/// mid-way. Every payment must be recorded once, every receipt email sent once, no outbox or inbox row left behind,
/// and the survivor must finish what the dead one had claimed (its leases run out).
/// </summary>
public class TwoInstanceTests(ITestOutputHelper output)
{
    private const int Payments = 200;
    private const int Copies = 3;

    [PostgresFact]
    public async Task Two_instances_record_every_payment_and_email_once_when_one_is_killed_mid_way()
    {
        await using var smtp = new SmtpTestServer();
        var setup = new GatewayFactory { SmtpPort = smtp.Port };
        var g = await GatewayScenario.CreateAsync(setup, GatewayKind.MercadoPago, documents: Payments);
        var payer = await g.Portal.IdentifiedPayerAsync();
        foreach (var documentId in g.Portal.DocumentIds)
        {
            var response = await g.Portal.PostPaymentAsync(payer, [documentId], methodId: g.MethodId);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        }
        var companyId = g.Portal.Merchant.CompanyId;
        await using (var scope = setup.ScopeFor(companyId))
        {
            Assert.Equal(Payments, await scope.Db.Checkouts.CountAsync(c => c.Gateway == GatewayKind.MercadoPago && c.State == CheckoutState.Pending));
        }
        var fakes = setup.Fakes;
        var connectionString = setup.ConnectionString;
        await setup.StopAsync();
        // Only to look at the database afterwards (its jobs are off); disposed last, it drops the database.
        await using var check = GatewayFactory.RestartOf(setup);

        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres", ["ConnectionStrings:Abono"] = connectionString, ["Demo:Seed"] = "false",
            ["Jobs:Enabled"] = "true", ["Outbox:PollSeconds"] = "1", ["Outbox:LeaseSeconds"] = "10", ["Inbox:LeaseSeconds"] = "10",
            ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = smtp.Port.ToString(), ["Smtp:Security"] = "None",
            ["Gateways:MercadoPago:BaseUrl"] = fakes.BaseUrl.ToString().TrimEnd('/'),
        };
        await using var a = await AppProcess.StartAsync(settings);
        await using var b = await AppProcess.StartAsync(settings);

        // The payers pay at Mercado Pago; the provider's notifications are captured to be delivered below.
        fakes.State.DeliverWebhooks = false;
        fakes.State.Webhooks.Clear();
        setup.Clock.SetUtcNow(DateTimeOffset.UtcNow);   // signatures carry the real time the processes check against
        foreach (var preference in fakes.State.Preferences.Values.ToList())
        {
            await MercadoPagoFake.PayAsync(fakes.State, preference.Id);
        }
        var deliveries = fakes.State.Webhooks.SelectMany(w => Enumerable.Repeat(w, Copies)).OrderBy(_ => Random.Shared.Next()).ToList();
        Assert.Equal(Payments * Copies, deliveries.Count);

        var answered = new ConcurrentDictionary<int, int>();
        var refused = 0;
        var sent = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan? killedAt = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        await Parallel.ForEachAsync(deliveries.Select((w, i) => (w, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, ct) =>
        {
            if (Interlocked.Increment(ref sent) == deliveries.Count / 3)
            {
                a.Kill();
                killedAt = clock.Elapsed;
            }
            // Like a provider: alternate between the instances behind the balancer, retry on the other when one fails.
            var targets = item.i % 2 == 0 ? new[] { a, b } : [b, a];
            foreach (var target in targets.Concat(targets))
            {
                try
                {
                    var url = new UriBuilder(item.w.Url) { Host = "127.0.0.1", Port = target.Port }.Uri;
                    using var response = await http.SendAsync((item.w with { Url = url }).ToRequest(), ct);
                    if (response.IsSuccessStatusCode)
                    {
                        answered.AddOrUpdate(target.Port, 1, (_, n) => n + 1);
                        return;
                    }
                    Interlocked.Increment(ref refused);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref refused);
                }
            }
            throw new InvalidOperationException("A webhook found no instance to take it.");
        });
        var deliveredIn = clock.Elapsed;
        await a.WaitForExitAsync();

        // What the dead instance held: rows leased and unfinished a moment after the kill (the survivor's own
        // leases end within its batch). The survivor may take them only after the lease runs out.
        await Task.Delay(500);
        List<long> heldInbox, heldOutbox;
        await using (var scope = check.ScopeFor(companyId))
        {
            heldInbox = await scope.Db.InboxEvents.Where(e => e.LeaseOwner != null && e.ProcessedAt == null).Select(e => e.Id).ToListAsync();
            heldOutbox = await scope.Db.Outbox.Where(m => m.LeaseOwner != null && m.SentAt == null).Select(m => m.Id).ToListAsync();
        }
        TimeSpan? takenOver = null;

        // Wait for the survivor: every checkout settled, every outbox message sent, every inbox event processed.
        var done = TimeSpan.Zero;
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromMinutes(10); await Task.Delay(250))
        {
            await using var scope = check.ScopeFor(companyId);
            var succeeded = await scope.Db.Checkouts.CountAsync(c => c.State == CheckoutState.Succeeded && c.Gateway == GatewayKind.MercadoPago);
            var unsent = await scope.Db.Outbox.CountAsync(m => m.SentAt == null);
            var unprocessed = await scope.Db.InboxEvents.CountAsync(e => e.ProcessedAt == null);
            if (takenOver is null && !await scope.Db.InboxEvents.AnyAsync(e => heldInbox.Contains(e.Id) && e.ProcessedAt == null)
                && !await scope.Db.Outbox.AnyAsync(m => heldOutbox.Contains(m.Id) && m.SentAt == null))
            {
                takenOver = clock.Elapsed;
            }
            if (succeeded == Payments && unsent == 0 && unprocessed == 0)
            {
                done = clock.Elapsed;
                break;
            }
        }
        Assert.NotEqual(TimeSpan.Zero, done);

        await using (var scope = check.ScopeFor(companyId))
        {
            Assert.Equal(Payments, await scope.Db.Payments.CountAsync());
            Assert.Equal(Payments, await scope.Db.PaymentAllocations.CountAsync());
            Assert.Equal(0, await scope.Db.Documents.Where(d => g.Portal.DocumentIds.Contains(d.Id)).SumAsync(d => d.Balance));
            Assert.Equal(Payments, await scope.Db.InboxEvents.CountAsync());
            Assert.Equal(Payments * 2, await scope.Db.Outbox.CountAsync(m => m.CompanyId == companyId && m.Payload.Contains("Comprobante de pago")));
        }
        var receipts = smtp.Messages.Where(m => (m.Subject ?? "").StartsWith("Comprobante de pago", StringComparison.Ordinal)).ToList();
        var distinct = receipts.Select(m => m.MessageId).Distinct().Count();
        TestFigures.Report(output, $"Two instances: {Payments} payments, {deliveries.Count} webhook deliveries ({Copies} per event) to 2 instances; instance A SIGKILLed after " +
            $"{killedAt?.TotalSeconds:F1} s; deliveries answered 200: A={answered.GetValueOrDefault(a.Port)}, B={answered.GetValueOrDefault(b.Port)}, " +
            $"refused/failed attempts retried on the other instance: {refused}; all delivered in {deliveredIn.TotalSeconds:F1} s; " +
            $"rows leased by the dead instance: {heldInbox.Count} inbox + {heldOutbox.Count} outbox, finished by the survivor " +
            $"{(takenOver - killedAt)?.TotalSeconds:F1} s after the kill (lease 10 s); everything settled {(done - killedAt!.Value).TotalSeconds:F1} s after the kill; receipt emails: {receipts.Count} received, {distinct} distinct Message-IDs.");
        Assert.Equal(Payments * 2, distinct);
        // Delivery is at least once: a message the killed instance had sent but not yet marked may go out again, with
        // the same Message-ID (counted once above). Only those it held can repeat, and none may be missing.
        Assert.InRange(receipts.Count, Payments * 2, Payments * 2 + heldOutbox.Count);
    }
}
