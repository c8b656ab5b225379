using System.Collections.Concurrent;
using System.Diagnostics;
using Abono.FakeGateways;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Gateways;
using Xunit.Abstractions;

namespace Abono.Tests.Payments;

/// <summary>
/// 200 checkouts paid at the provider; every webhook delivered 10 times, shuffled and concurrent, interleaved with the
/// payers' browser returns, while three inbox processors run: exactly 200 payments, every balance exact.
/// </summary>
public class WebhookStormTests(ITestOutputHelper output)
{
    private const int Checkouts = 200;
    private const int Deliveries = 10;

    [Theory]
    [InlineData(GatewayKind.MercadoPago)]
    [InlineData(GatewayKind.Stripe)]
    public async Task Two_hundred_payments_whose_webhooks_arrive_ten_times_each_are_recorded_exactly_once(GatewayKind kind)
    {
        await using var factory = new GatewayFactory();
        var setup = Stopwatch.StartNew();
        var g = await GatewayScenario.CreateAsync(factory, kind, documents: Checkouts);
        var payer = await g.Portal.IdentifiedPayerAsync();
        var browser = new TwoHostBrowser(payer, factory.Fakes.BaseUrl);
        factory.Fakes.State.DeliverWebhooks = false;
        var checkouts = new List<Checkout>();
        foreach (var documentId in g.Portal.DocumentIds)
        {
            await g.StartAsync([documentId], browser);
            var checkout = await g.LastCheckoutAsync();
            checkouts.Add(checkout);
            if (kind == GatewayKind.MercadoPago)
            {
                await MercadoPagoFake.PayAsync(factory.Fakes.State, checkout.GatewayReference!);
            }
            else
            {
                await StripeFake.CompleteAsync(factory.Fakes.State, checkout.GatewayReference!);
            }
        }
        var webhooks = factory.Fakes.State.Webhooks.ToList();
        Assert.Equal(Checkouts, webhooks.Count);
        var paidIn = setup.Elapsed;

        // Each webhook 10 times, plus a browser return for every other checkout, all shuffled.
        var work = webhooks.SelectMany(w => Enumerable.Repeat<object>(w, Deliveries))
            .Concat(checkouts.Where((_, i) => i % 2 == 0).Select(c => (object)ReturnUrl(kind, c)))
            .OrderBy(_ => Random.Shared.Next()).ToList();
        var statuses = new ConcurrentBag<System.Net.HttpStatusCode>();
        var storm = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource();
        var processors = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var inbox = factory.Services.GetRequiredService<InboxProcessor>();
            while (!cancel.IsCancellationRequested)
            {
                if (await inbox.RunOnceAsync() == 0)
                {
                    await Task.Delay(20);
                }
            }
        })).ToList();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, _) =>
        {
            if (item is RecordedWebhook webhook)
            {
                using var http = factory.CreateClient();
                statuses.Add((await http.SendAsync(webhook.ToRequest())).StatusCode);
            }
            else
            {
                await browser.App.Http.GetAsync((string)item);
            }
        });
        var inbox = factory.Services.GetRequiredService<InboxProcessor>();
        while (await inbox.RunOnceAsync() > 0)
        {
        }
        await cancel.CancelAsync();
        await Task.WhenAll(processors);
        var stormTime = storm.Elapsed;

        Assert.Equal(Checkouts * Deliveries, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(System.Net.HttpStatusCode.OK, s));
        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(Checkouts, await scope.Db.Payments.CountAsync());
        Assert.Equal(Checkouts, await scope.Db.Checkouts.CountAsync(c => c.Gateway == kind && c.State == CheckoutState.Succeeded));
        Assert.Equal(Checkouts, await scope.Db.PaymentAllocations.CountAsync());
        Assert.Equal(0, await scope.Db.Documents.Where(d => g.Portal.DocumentIds.Contains(d.Id)).SumAsync(d => d.Balance));
        Assert.Equal(0, await scope.Db.Payments.SumAsync(p => p.CreditAmount));
        Assert.Equal(Checkouts, await scope.Db.InboxEvents.CountAsync());
        Assert.Equal(Checkouts * 2, await g.EmailsContainingAsync("Comprobante de pago"));
        var outcomes = await scope.Db.InboxEvents.GroupBy(e => e.Outcome).Select(x => new { x.Key, Count = x.Count() }).ToListAsync();
        TestFigures.Report(output, $"Storm {kind}: {Checkouts} checkouts paid at the fake (setup {paidIn.TotalSeconds:F1} s); {work.Count} shuffled concurrent " +
            $"deliveries + returns in {stormTime.TotalSeconds:F1} s; {statuses.Count(s => s == System.Net.HttpStatusCode.OK)}/{statuses.Count} webhooks answered 200; " +
            $"{await scope.Db.Payments.CountAsync()} payments; inbox rows {string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Count}"))}");
    }

    private static string ReturnUrl(GatewayKind kind, Checkout checkout) => kind == GatewayKind.Stripe
        ? $"/pagos/retorno/{checkout.Id}?session_id={checkout.GatewayReference}"
        : $"/pagos/retorno/{checkout.Id}?status=approved&external_reference={checkout.Id}";
}
