using System.Net;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Documents;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;

namespace Abono.Tests.Portal;

/// <summary>Step 3 of the product (docs/product.md): the customer selects documents, pays through the gateway, and the books reflect it exactly once.</summary>
public class PortalPaymentTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task Paying_two_documents_allocates_them_shows_the_receipt_and_the_back_office_sees_them_paid()
    {
        var s = await PortalScenario.CreateAsync(factory);
        var payer = await s.IdentifiedPayerAsync();
        var list = await payer.GetAsync($"/portal/{s.Code}/documentos");
        Assert.Equal(3, list.Document.QuerySelectorAll("input[name='Input.DocumentIds']:checked").Length);
        Assert.Contains("Pagar $71.400", list.Text);

        var result = await s.PayAsync(payer, s.DocumentIds.Take(2));

        Assert.Equal("Succeeded", result.Document.QuerySelector("[data-testid=payment-result]")!.GetAttribute("data-state"));
        Assert.Equal("$35.700", result.Document.QuerySelector("[data-testid=receipt-amount]")!.TextContent.Trim());
        Assert.Contains("Factura N° 1: $11.900 · Pagado", result.Text);
        Assert.Contains("Factura N° 2: $23.800 · Pagado", result.Text);
        var pdf = await payer.Http.GetAsync(result.Url + "?handler=Pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF", await pdf.Content.ReadAsStringAsync());

        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var payment = await scope.Db.Payments.Include(p => p.Allocations).SingleAsync();
            Assert.Equal(35_700, payment.Amount);
            Assert.Equal(0, payment.CreditAmount);
            Assert.Equal(GatewayKind.Sandbox, payment.Method);
            Assert.Equal(2, payment.Allocations.Count);
            var balances = await scope.Db.Documents.Where(d => s.DocumentIds.Contains(d.Id)).OrderBy(d => d.Id).Select(d => d.Balance).ToListAsync();
            Assert.Equal([0L, 0L, 35_700L], balances);
            Assert.Empty(await scope.Db.DocumentPaymentLocks.ToListAsync());
            Assert.Equal(2, await scope.Db.Outbox.CountAsync(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("Comprobante de pago")));
        }

        var document = await s.Merchant.Client.GetAsync($"/documentos/{s.DocumentIds[0]}");
        Assert.Contains("Pagado", document.Text);
        Assert.Contains("Pago N°", document.Document.QuerySelector("[data-testid=payment-history]")!.TextContent);
        var customer = await s.Merchant.Client.GetAsync($"/clientes/{s.CustomerId}");
        Assert.Equal("$35.700", customer.Document.QuerySelector("[data-testid=customer-balance]")!.TextContent.Trim());
        Assert.Contains("Pasarela de prueba", customer.Document.QuerySelector("[data-testid=customer-payments]")!.TextContent);

        // Only the third document is left to pay.
        var after = await payer.GetAsync($"/portal/{s.Code}/documentos");
        Assert.Single(after.Document.QuerySelectorAll("input[name='Input.DocumentIds']"));
    }

    [Fact]
    public async Task A_partial_payment_goes_to_the_oldest_due_date_first()
    {
        var s = await PortalScenario.CreateAsync(factory, allowPartial: true);
        var payer = await s.IdentifiedPayerAsync();

        var preview = await payer.SubmitAsync(await payer.GetAsync($"/portal/{s.Code}/documentos"),
            new Dictionary<string, string?> { ["Input.Amount"] = "20000" }, button: "button[formaction*='handler=Preview']");
        Assert.Contains("Con tu abono quedará en $0", preview.Document.QuerySelector($"[data-testid=preview-{s.DocumentIds[0]}]")!.TextContent);
        Assert.Contains("Con tu abono quedará en $15.700", preview.Document.QuerySelector($"[data-testid=preview-{s.DocumentIds[1]}]")!.TextContent);

        var tooLittle = await s.PayAsync(payer, amount: 100);
        Assert.Contains("Puedes abonar entre $5.000 y $71.400.", tooLittle.Text);

        var result = await s.PayAsync(payer, amount: 20_000);
        Assert.Equal("$20.000", result.Document.QuerySelector("[data-testid=receipt-amount]")!.TextContent.Trim());
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        var balances = await scope.Db.Documents.Where(d => s.DocumentIds.Contains(d.Id)).OrderBy(d => d.DueDate).Select(d => d.Balance).ToListAsync();
        Assert.Equal([0L, 15_700L, 35_700L], balances);
    }

    [Fact]
    public async Task Without_partial_payments_the_amount_must_be_the_selected_total_and_rejections_keep_everything_pending()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var payer = await s.IdentifiedPayerAsync();
        var rejected = await s.PayAsync(payer, decision: "rechazar");
        Assert.Equal("Failed", rejected.Document.QuerySelector("[data-testid=payment-result]")!.GetAttribute("data-state"));
        Assert.Contains("tus documentos siguen pendientes", rejected.Text);

        // The lock was released: the customer can pay again at once.
        var again = await s.PayAsync(payer);
        Assert.Equal("Succeeded", again.Document.QuerySelector("[data-testid=payment-result]")!.GetAttribute("data-state"));
    }

    [Fact]
    public async Task Tampered_selections_are_refused()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var other = await s.Merchant.CreateCustomerAsync(name: "Otro Cliente");
        var othersDocument = Merchant.IdFrom(await s.Merchant.IssueAsync(33, other, [("Ajeno", 1, 5_000)]));
        var payer = await s.IdentifiedPayerAsync();

        var foreign = await s.PayAsync(payer, [othersDocument]);
        Assert.Contains("Selecciona documentos pendientes de la lista.", foreign.Text);
        var mixed = await s.PayAsync(payer, [s.DocumentIds[0], othersDocument]);
        Assert.Contains("Selecciona documentos pendientes de la lista.", mixed.Text);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            Assert.Empty(await scope.Db.Checkouts.Where(c => c.Purpose == CheckoutPurpose.DocumentPayment).ToListAsync());
        }

        // Without abonos parciales a forged amount is ignored: the server charges what it computes.
        var forgedAmount = await s.PayAsync(payer, amount: 1, decision: "none");
        Assert.Contains("$11.900", forgedAmount.Text);
        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Equal(11_900, (await check.Db.Checkouts.SingleAsync(c => c.Purpose == CheckoutPurpose.DocumentPayment)).Amount);
    }

    [Fact]
    public async Task A_second_tab_cannot_pay_a_document_with_a_payment_in_process()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var first = await s.IdentifiedPayerAsync();
        var second = await s.IdentifiedPayerAsync();

        var atSandbox = await s.PayAsync(first, decision: "none");
        Assert.Contains("MODO DE PRUEBA", atSandbox.Text);
        var list = await second.GetAsync($"/portal/{s.Code}/documentos");
        Assert.Contains("Pago en proceso", list.Text);
        Assert.DoesNotContain("Pagar $", list.Text);
        var refused = await s.PayAsync(second);
        Assert.Contains("pago en proceso", refused.Text);
    }

    [Fact]
    public async Task Fifty_parallel_confirmations_allocate_once()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);
        var payer = await s.IdentifiedPayerAsync();
        await s.PayAsync(payer, decision: "none");
        Checkout checkout;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            checkout = await scope.Db.Checkouts.SingleAsync(c => c.Purpose == CheckoutPurpose.DocumentPayment);
        }
        var confirmation = factory.Services.GetRequiredService<PaymentConfirmation>();
        var approved = new GatewayStatus(GatewayOutcome.Approved, checkout.Amount, "CLP", checkout.GatewayReference);
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await confirmation.ApplyAsync(checkout.Id, approved);
        })).ToList();
        start.Release(50);
        var results = await Task.WhenAll(tasks);

        Assert.Equal(1, results.Count(r => r == ConfirmationResult.Applied));
        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Single(await check.Db.Payments.ToListAsync());
        Assert.Equal(2, await check.Db.PaymentAllocations.CountAsync());
        Assert.All(await check.Db.Documents.Where(d => s.DocumentIds.Contains(d.Id)).ToListAsync(), d => Assert.Equal(0, d.Balance));
    }

    [Fact]
    public async Task Money_for_a_document_already_paid_becomes_saldo_a_favor_flagged_for_refund()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var first = await s.IdentifiedPayerAsync();
        await s.PayAsync(first, decision: "none");
        // The first checkout expires (the gateway said "not paid" past its deadline): its lock goes, a second payment
        // starts and completes.
        var confirmation = factory.Services.GetRequiredService<PaymentConfirmation>();
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var quiet = await scope.Db.Checkouts.Where(c => c.Purpose == CheckoutPurpose.DocumentPayment).SingleAsync();
            await confirmation.ApplyAsync(quiet.Id, new GatewayStatus(GatewayOutcome.Expired, null, null, null, "expiró"));
            Assert.Empty(await scope.Db.DocumentPaymentLocks.ToListAsync());
        }
        var second = await s.IdentifiedPayerAsync();
        var paid = await s.PayAsync(second);
        Assert.Equal("Succeeded", paid.Document.QuerySelector("[data-testid=payment-result]")!.GetAttribute("data-state"));

        // Late: the first payer approves at the gateway after all.
        Checkout late;
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            late = await scope.Db.Checkouts.Where(c => c.Purpose == CheckoutPurpose.DocumentPayment).OrderBy(c => c.CreatedAt).FirstAsync();
        }
        Assert.Equal(ConfirmationResult.Applied, await confirmation.ApplyAsync(late.Id, new GatewayStatus(GatewayOutcome.Approved, late.Amount, "CLP", "late")));

        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        var payments = await check.Db.Payments.Include(p => p.Allocations).OrderBy(p => p.Id).ToListAsync();
        Assert.Equal(2, payments.Count);
        Assert.Equal(11_900, payments[1].CreditAmount);
        Assert.True(payments[1].RefundPending);
        Assert.Empty(payments[1].Allocations);
        Assert.Equal(0, (await check.Db.Documents.SingleAsync(d => d.Id == s.DocumentIds[0])).Balance);
        Assert.Contains("por reembolsar", (await s.Merchant.Client.GetAsync($"/clientes/{s.CustomerId}")).Text);
    }

    [Fact]
    public async Task Replaying_the_return_url_changes_nothing()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var payer = await s.IdentifiedPayerAsync();
        var result = await s.PayAsync(payer);
        var checkoutId = result.Url.Split('/').Last();
        for (var i = 0; i < 3; i++)
        {
            await payer.FollowAsync(await payer.Http.GetAsync($"/pagos/retorno/{checkoutId}"), $"/pagos/retorno/{checkoutId}");
        }
        await using var scope = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Single(await scope.Db.Payments.ToListAsync());
        _ = DocumentType.Factura;
        _ = typeof(Payment);
    }

    [Fact]
    public async Task The_portal_pages_need_an_identified_customer_of_that_portal()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var stranger = factory.CreateAppClient();
        var response = await stranger.Http.GetAsync($"/portal/{s.Code}/documentos");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith($"/portal/{s.Code}", response.Headers.Location!.OriginalString);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());

        var payer = await s.IdentifiedPayerAsync();
        var other = await PortalScenario.CreateAsync(factory, documents: 1);
        var elsewhere = await payer.Http.GetAsync($"/portal/{other.Code}/documentos");
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);

        var exit = await payer.SubmitAsync(await payer.GetAsync($"/portal/{s.Code}/documentos"), new Dictionary<string, string?>(),
            button: "header form button");
        Assert.EndsWith($"/portal/{s.Code}", exit.Url);
        Assert.Equal(HttpStatusCode.Redirect, (await payer.Http.GetAsync($"/portal/{s.Code}/documentos")).StatusCode);
    }
}
