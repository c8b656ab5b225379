using Abono.Web.Features.Payments;
using Abono.Web.Features.BankTransfer;

namespace Abono.Tests.BankTransfer;

/// <summary>Transferencia bancaria: declared in the portal, never counted as paid until the back office confirms it.</summary>
public class TransferTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    internal static Task<long> EnableTransferAsync(PortalScenario s) => s.EnableTransferAsync();

    internal static async Task<(AppClient Payer, AppClient.Page Declared)> DeclareAsync(PortalScenario s, long transferId)
    {
        var payer = await s.IdentifiedPayerAsync();
        var page = await s.PayAsync(payer, [s.DocumentIds[0]], methodId: transferId);
        Assert.Contains("Paga por transferencia", page.Text);
        Assert.Contains("Banco de Chile", page.Document.QuerySelector("[data-testid=bank-details]")!.TextContent);
        Assert.StartsWith("TR-", page.Document.QuerySelector("[data-testid=transfer-reference]")!.TextContent);
        var declared = await payer.SubmitAsync(page, new Dictionary<string, string?>());
        Assert.Contains("Transferencia por confirmar", declared.Text);
        return (payer, declared);
    }

    [Fact]
    public async Task A_declared_transfer_is_por_confirmar_until_confirmed_then_allocated_like_any_payment()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 2);
        var transfer = await EnableTransferAsync(s);
        var (payer, _) = await DeclareAsync(s, transfer);

        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            Assert.Equal(11_900, (await scope.Db.Documents.SingleAsync(d => d.Id == s.DocumentIds[0])).Balance);
            Assert.Empty(await scope.Db.Payments.ToListAsync());
            Assert.True((await scope.Db.DocumentPaymentLocks.SingleAsync()).ExpiresAt > DateTime.UtcNow.AddDays(6));
        }
        Assert.Contains("Pago en proceso", (await payer.GetAsync($"/portal/{s.Code}/documentos")).Text);

        var pending = await s.Merchant.Client.GetAsync("/reportes/pagos/transferencias");
        Assert.Contains("Informó $11.900", pending.Text);
        var confirmed = await s.Merchant.Client.SubmitAsync(pending, new Dictionary<string, string?>(), button: "form[action*='handler=Confirm'] button");
        Assert.Contains("Transferencia confirmada", confirmed.Text);

        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Equal(0, (await check.Db.Documents.SingleAsync(d => d.Id == s.DocumentIds[0])).Balance);
        var payment = await check.Db.Payments.SingleAsync();
        Assert.Equal(Abono.Web.Gateways.GatewayKind.Transfer, payment.Method);
        Assert.Equal(CheckoutState.Succeeded, (await check.Db.Checkouts.SingleAsync(c => c.Id == payment.CheckoutId)).State);
        Assert.Equal(TransferStatus.Confirmed, (await check.Db.TransferDeclarations.SingleAsync()).Status);
        Assert.Empty(await check.Db.DocumentPaymentLocks.ToListAsync());
    }

    [Fact]
    public async Task A_rejected_transfer_tells_the_customer_and_leaves_the_documents_pending()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        var transfer = await EnableTransferAsync(s);
        await DeclareAsync(s, transfer);

        var pending = await s.Merchant.Client.GetAsync("/reportes/pagos/transferencias");
        await s.Merchant.Client.SubmitAsync(pending, new Dictionary<string, string?> { ["reason"] = "no llegó a la cuenta" }, button: "form[action*='handler=Reject'] button");

        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Equal(11_900, (await check.Db.Documents.SingleAsync()).Balance);
        Assert.Empty(await check.Db.Payments.ToListAsync());
        Assert.Equal(CheckoutState.Failed, (await check.Db.Checkouts.SingleAsync(c => c.Purpose == CheckoutPurpose.DocumentPayment)).State);
        Assert.Empty(await check.Db.DocumentPaymentLocks.ToListAsync());
        var email = await check.Db.Outbox.SingleAsync(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("no fue confirmada"));
        Assert.Contains("no lleg", email.Payload);   // the payload is JSON: accents are escaped

        // Deciding twice changes nothing.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await s.Merchant.Client.PostFormAsync(pending, new Dictionary<string, string?>(), "form[action*='handler=Confirm'] button")).StatusCode);
    }
}
