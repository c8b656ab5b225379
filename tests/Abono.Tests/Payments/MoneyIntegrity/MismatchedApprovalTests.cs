using Abono.FakeGateways;
using Abono.Web.Features.Payments;
using Abono.Web.Features.Payments.Inbox;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Payments.MoneyIntegrity;

/// <summary>
/// A provider that approves another amount or currency than the checkout's still holds that money: it is recorded
/// exactly once whatever state the checkout is in, booked as saldo a favor when it is in pesos, and shown in
/// Reportes → Pagos → En revisión — never only written to the log. A checkout the providers never answer about for
/// 7 days waits there too.
/// </summary>
public class MismatchedApprovalTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private InboxProcessor Inbox => factory.Services.GetRequiredService<InboxProcessor>();
    private FakeState Fakes => factory.Fakes.State;

    [Fact]
    public async Task An_approval_of_another_amount_after_the_checkout_was_paid_is_booked_once_as_saldo_a_favor_and_shown_in_En_revision()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        var (browser, checkoutPro) = await g.StartAsync([g.Portal.DocumentIds[0]]);
        await browser.SubmitAsync(checkoutPro, "button[value=approved]");
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Succeeded, checkout.State);

        // The same preference is paid again, for $5.000; its notification arrives three times.
        await MercadoPagoFake.PayAsync(Fakes, Preference(checkout), amount: 5_000);
        var notification = Fakes.Webhooks.Last();
        await Inbox.RunOnceAsync();
        using (var http = factory.CreateClient())
        {
            await http.SendAsync(notification.ToRequest());
            await http.SendAsync(notification.ToRequest());
        }
        await Inbox.RunOnceAsync();
        await Inbox.RunOnceAsync();
        // The same answer read again (the janitor, "Consultar a la pasarela"): recorded already.
        var again = await factory.Services.GetRequiredService<PaymentConfirmation>().ApplyAsync(checkout.Id,
            new GatewayStatus(GatewayOutcome.Approved, 5_000, "CLP", Fakes.MercadoPagoPayments.Values.Single(p => p.Amount == 5_000 && p.ExternalReference == checkout.Id.ToString()).Id.ToString()));
        Assert.Equal(ConfirmationResult.AlreadyApplied, again);

        long creditId;
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            var payments = await scope.Db.Payments.Include(p => p.Allocations).OrderBy(p => p.Id).ToListAsync();
            Assert.Equal(2, payments.Count);
            Assert.Equal((11_900L, 11_900L, 0L), (payments[0].Amount, payments[0].Allocations.Sum(a => a.Amount), payments[0].CreditAmount));
            Assert.Equal((5_000L, 0L, 5_000L, true), (payments[1].Amount, payments[1].Allocations.Sum(a => a.Amount), payments[1].CreditAmount, payments[1].RefundPending));
            var approvals = await scope.Db.CheckoutApprovals.Where(a => a.CheckoutId == checkout.Id).OrderBy(a => a.Id).ToListAsync();
            Assert.Equal([(true, false, 11_900L), (false, true, 5_000L)], approvals.Select(a => (a.SettledCheckout, a.AmountMismatch, a.Amount)));
            Assert.Equal(payments[1].GatewayReference, approvals[1].ProviderReference);
            Assert.Equal(CheckoutState.Succeeded, (await scope.Db.Checkouts.SingleAsync(c => c.Id == checkout.Id)).State);
            Assert.Equal(0, (await scope.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
            creditId = payments[1].Id;
        }

        var review = await g.Portal.Merchant.Client.GetAsync("/reportes/pagos/en-revision");
        Assert.NotNull(review.Document.QuerySelector($"[data-testid=credit-{creditId}]"));
        Assert.Contains("la pasarela aprobó $5.000 para un pago de $11.900",
            review.Document.QuerySelector($"[data-testid=credit-reason-{creditId}]")!.TextContent);
    }

    [Fact]
    public async Task An_approval_of_another_amount_while_the_checkout_is_open_is_saldo_a_favor_and_the_right_one_still_pays_the_document()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        await g.StartAsync([g.Portal.DocumentIds[1]]);
        var checkout = await g.LastCheckoutAsync();
        var owed = checkout.Amount;

        await MercadoPagoFake.PayAsync(Fakes, Preference(checkout), amount: 3_000);
        await Inbox.RunOnceAsync();
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            Assert.Equal(CheckoutState.Unknown, (await scope.Db.Checkouts.SingleAsync(c => c.Id == checkout.Id)).State);
            var payment = await scope.Db.Payments.SingleAsync();
            Assert.Equal((3_000L, 3_000L), (payment.Amount, payment.CreditAmount));
            Assert.Equal(owed, (await scope.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[1])).Balance);
        }
        var review = await g.Portal.Merchant.Client.GetAsync("/reportes/pagos/en-revision");
        Assert.Contains("monto distinto", review.Document.QuerySelector($"[data-testid=review-{checkout.Id}]")!.TextContent);

        // The payer pays the right amount in the same preference: the document is paid, the $3.000 stays saldo a favor.
        await MercadoPagoFake.PayAsync(Fakes, Preference(checkout));
        await Inbox.RunOnceAsync();
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(CheckoutState.Succeeded, (await check.Db.Checkouts.SingleAsync(c => c.Id == checkout.Id)).State);
        Assert.Equal(0, (await check.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[1])).Balance);
        Assert.Equal([(3_000L, 3_000L), (owed, 0L)], (await check.Db.Payments.OrderBy(p => p.Id).ToListAsync()).Select(p => (p.Amount, p.CreditAmount)));
        Assert.Equal(2, await check.Db.CheckoutApprovals.CountAsync(a => a.CheckoutId == checkout.Id));
    }

    [Fact]
    public async Task A_checkout_paid_only_with_another_amount_expires_at_its_deadline_frees_its_document_and_keeps_the_money_as_saldo_a_favor()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago, documents: 1);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        await MercadoPagoFake.PayAsync(Fakes, Preference(checkout), amount: 4_000);   // its notification waits in the inbox

        // Reconciliation finds it after the deadline: the $4.000 is booked apart, and the checkout is over, unpaid.
        factory.Clock.Advance(CheckoutStarter.Lifetime + CheckoutJanitor.ExpiryGrace + TimeSpan.FromMinutes(1));
        await factory.Services.GetRequiredService<CheckoutJanitor>().RunAsync();
        await Inbox.RunOnceAsync();

        await using var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        Assert.Equal(CheckoutState.Expired, (await scope.Db.Checkouts.SingleAsync(c => c.Id == checkout.Id)).State);
        Assert.Empty(await scope.Db.DocumentPaymentLocks.Where(l => l.CheckoutId == checkout.Id).ToListAsync());
        Assert.Equal(checkout.Amount, (await scope.Db.Documents.SingleAsync(d => d.Id == g.Portal.DocumentIds[0])).Balance);
        var payment = await scope.Db.Payments.SingleAsync(p => p.CheckoutId == checkout.Id);
        Assert.Equal((4_000L, 4_000L, true), (payment.Amount, payment.CreditAmount, payment.RefundPending));
    }

    [Fact]
    public async Task An_approval_in_another_currency_for_a_failed_checkout_books_nothing_and_waits_in_En_revision_until_marked_reviewed()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago);
        await g.StartAsync([g.Portal.DocumentIds[2]]);
        var checkout = await g.LastCheckoutAsync();
        await MercadoPagoFake.PayAsync(Fakes, Preference(checkout), approved: false);
        await Inbox.RunOnceAsync();
        Assert.Equal(CheckoutState.Failed, (await g.LastCheckoutAsync()).State);

        var confirmation = factory.Services.GetRequiredService<PaymentConfirmation>();
        var usd = new GatewayStatus(GatewayOutcome.Approved, 12, "usd", "pago-en-dolares");
        Assert.Equal(ConfirmationResult.Mismatch, await confirmation.ApplyAsync(checkout.Id, usd));
        Assert.Equal(ConfirmationResult.AlreadyApplied, await confirmation.ApplyAsync(checkout.Id, usd));

        long approvalId;
        await using (var scope = factory.ScopeFor(g.Portal.Merchant.CompanyId))
        {
            Assert.Empty(await scope.Db.Payments.ToListAsync());
            var approval = await scope.Db.CheckoutApprovals.SingleAsync(a => a.CheckoutId == checkout.Id);
            Assert.Equal((true, 12L, "USD"), (approval.AmountMismatch, approval.Amount, approval.Currency));
            Assert.Equal(CheckoutState.Failed, (await scope.Db.Checkouts.SingleAsync(c => c.Id == checkout.Id)).State);
            approvalId = approval.Id;
        }

        var review = await g.Portal.Merchant.Client.GetAsync("/reportes/pagos/en-revision");
        var row = review.Document.QuerySelector($"[data-testid=mismatch-{approvalId}]");
        Assert.NotNull(row);
        Assert.Contains($"aprobado 12 USD (el pago era de {ChileFormats.Clp(checkout.Amount)})", row.TextContent);
        Assert.Contains("pago-en-dolares", row.TextContent);

        var reviewed = await g.Portal.Merchant.Client.SubmitAsync(review, new Dictionary<string, string?>(), form: $"[data-testid=mismatch-{approvalId}] form");
        Assert.Contains("quedó marcada como revisada", reviewed.Text);
        Assert.Null(reviewed.Document.QuerySelector($"[data-testid=mismatch-{approvalId}]"));
        Assert.Equal(ConfirmationResult.AlreadyApplied, await confirmation.ApplyAsync(checkout.Id, usd));
        await using var check = factory.ScopeFor(g.Portal.Merchant.CompanyId);
        var marked = await check.Db.CheckoutApprovals.SingleAsync(a => a.Id == approvalId);
        Assert.Equal(g.Portal.Merchant.Email, marked.ReviewedBy);
        Assert.NotNull(marked.ReviewedAt);
    }

    [Fact]
    public async Task A_checkout_the_provider_never_answers_about_for_7_days_waits_in_En_revision()
    {
        var g = await GatewayScenario.CreateAsync(factory, GatewayKind.MercadoPago, documents: 1);
        await g.StartAsync([g.Portal.DocumentIds[0]]);
        var checkout = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Pending, checkout.State);

        var janitor = factory.Services.GetRequiredService<CheckoutJanitor>();
        // Mercado Pago's search fails every time it is asked, for days.
        Fakes.Faults.Add("mercadopago.search", new Fault(FaultKind.ServerError), times: 1_000);
        try
        {
            for (var day = 0; day < 30 && (await g.LastCheckoutAsync()).State == CheckoutState.Pending; day++)
            {
                factory.Clock.Advance(TimeSpan.FromDays(1));
                await janitor.RunAsync();
            }
        }
        finally
        {
            Fakes.Faults.Clear();
        }

        var left = await g.LastCheckoutAsync();
        Assert.Equal(CheckoutState.Unknown, left.State);
        Assert.Null(left.NextCheckAt);
        // Given up on a week after it started (PostgreSQL keeps microseconds: the stored difference can be 7 days flat).
        Assert.True(left.UpdatedAt - left.CreatedAt >= CheckoutJanitor.GiveUpAfter, $"updated {left.UpdatedAt:O}, created {left.CreatedAt:O}");
        // A week later the back office signs in again (its session has ended).
        var merchant = await Merchant.SignInAsync(factory, g.Portal.Merchant);
        var review = await merchant.Client.GetAsync("/reportes/pagos/en-revision");
        var row = review.Document.QuerySelector($"[data-testid=review-{checkout.Id}]")!.TextContent;
        Assert.Contains("Sin respuesta verificada de Mercado Pago en 7 días", row);
        Assert.Contains("Sin más consultas automáticas", row);
    }

    private string Preference(Checkout checkout) =>
        Fakes.Preferences.Values.Single(p => p.ExternalReference == checkout.Id.ToString()).Id;
}
