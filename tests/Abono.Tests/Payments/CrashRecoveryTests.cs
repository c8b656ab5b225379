using Abono.Web.Platform.Jobs;
using System.Net.Http.Json;
using Abono.FakeGateways;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Gateways;

namespace Abono.Tests.Payments;

/// <summary>
/// The provider approved; our process stopped before it recorded anything. A new process on the same database finds
/// the payment by reconciliation and records it exactly once; the provider's late webhook then changes nothing.
/// </summary>
public class CrashRecoveryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(GatewayKind.Webpay)]
    [InlineData(GatewayKind.MercadoPago)]
    [InlineData(GatewayKind.Stripe)]
    public async Task An_approval_the_app_never_recorded_is_recorded_once_after_a_restart(GatewayKind kind)
    {
        var first = new GatewayFactory();
        var g = await GatewayScenario.CreateAsync(first, kind);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        var companyId = g.Portal.Merchant.CompanyId;
        var fakes = first.Fakes.State;

        // The payer pays; the app is gone before the return or any webhook reaches it.
        fakes.DeliverWebhooks = false;
        switch (kind)
        {
            case GatewayKind.Webpay:
                WebpayFake.Pay(fakes, checkout.GatewayReference!);
                // The commit the dying process had sent reached Transbank: the sale is committed there.
                using (var http = new HttpClient { BaseAddress = first.Fakes.BaseUrl })
                {
                    using var commit = new HttpRequestMessage(HttpMethod.Put, $"rswebpaytransaction/api/webpay/v1.2/transactions/{checkout.GatewayReference}")
                    {
                        Content = JsonContent.Create(new { }),
                    };
                    commit.Headers.Add("Tbk-Api-Key-Id", FakeAccounts.WebpayCommerceCode);
                    commit.Headers.Add("Tbk-Api-Key-Secret", FakeAccounts.WebpayApiKeySecret);
                    (await http.SendAsync(commit)).EnsureSuccessStatusCode();
                }
                break;
            case GatewayKind.MercadoPago:
                await MercadoPagoFake.PayAsync(fakes, checkout.GatewayReference!);
                break;
            default:
                await StripeFake.CompleteAsync(fakes, checkout.GatewayReference!);
                break;
        }
        await first.StopAsync();   // the process stops (database and fakes stay)

        var restart = System.Diagnostics.Stopwatch.StartNew();
        await using var second = GatewayFactory.RestartOf(first);
        second.RouteWebhooksToApp();
        await using (var scope = second.ScopeFor(companyId))
        {
            Assert.Empty(await scope.Db.Payments.ToListAsync());
            Assert.Equal(CheckoutState.Pending, (await scope.Db.Checkouts.SingleAsync(c => c.Id == checkout.Id)).State);
        }

        second.Clock.Advance(Backoff.CheckoutStatus.Initial);
        var janitor = second.Services.GetRequiredService<CheckoutJanitor>();
        await Task.WhenAll(janitor.RunAsync(), janitor.RunAsync());
        // The provider retries its webhook (twice) to the new process.
        using (var http = second.CreateClient())
        {
            foreach (var webhook in fakes.Webhooks.ToList().Concat(fakes.Webhooks.ToList()))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(webhook.ToRequest())).StatusCode);
            }
        }
        await second.Services.GetRequiredService<InboxProcessor>().RunOnceAsync();

        await using var check = second.ScopeFor(companyId);
        Assert.Equal(CheckoutState.Succeeded, (await check.Db.Checkouts.SingleAsync(c => c.Id == checkout.Id)).State);
        var payment = await check.Db.Payments.SingleAsync();
        Assert.Equal((kind, 11_900L), (payment.Method, payment.Amount));
        Assert.Equal(0, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
        Assert.Equal(2, await check.Db.Outbox.CountAsync(m => m.CompanyId == companyId && m.Payload.Contains("Comprobante de pago")));
        TestFigures.Report(output, $"Crash {kind}: approved at the provider while stopped; restarted instance recorded 1 payment " +
            $"(2 parallel reconciliation runs + {fakes.Webhooks.Count * 2} late webhook deliveries) in {restart.Elapsed.TotalSeconds:F1} s including start-up");
    }
}
