namespace Abono.Tests.PaymentReview;

/// <summary>A payment's page in the back office leads to the receipt the customer got; the add-on's price says IVA is included.</summary>
public class PaymentDetailsTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task A_payments_detail_links_to_its_receipt_PDF()
    {
        var scenario = await PortalScenario.CreateAsync(factory, documents: 1);
        var payer = await scenario.IdentifiedPayerAsync();
        await scenario.PayAsync(payer);
        long paymentId;
        await using (var scope = factory.ScopeFor(scenario.Merchant.CompanyId))
        {
            paymentId = (await scope.Db.Payments.SingleAsync()).Id;
        }

        var detail = await scenario.Merchant.Client.GetAsync($"/reportes/pagos/{paymentId}");
        var href = detail.Document.QuerySelector("[data-testid=receipt-pdf]")!.GetAttribute("href")!;
        var pdf = await scenario.Merchant.Client.Http.GetAsync(href);

        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", await pdf.Content.ReadAsStringAsync());
        Assert.Equal($"comprobante-P-{paymentId:000000}.pdf", pdf.Content.Headers.ContentDisposition?.FileNameStar ?? pdf.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task Another_companys_receipt_is_not_found()
    {
        var scenario = await PortalScenario.CreateAsync(factory, documents: 1);
        await scenario.PayAsync(await scenario.IdentifiedPayerAsync());
        long paymentId;
        await using (var scope = factory.ScopeFor(scenario.Merchant.CompanyId))
        {
            paymentId = (await scope.Db.Payments.SingleAsync()).Id;
        }
        var stranger = await Merchant.SignUpAsync(factory);

        var pdf = await stranger.Client.Http.GetAsync($"/reportes/pagos/{paymentId}?handler=Pdf");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, pdf.StatusCode);
    }

    [Fact]
    public async Task The_add_ons_price_says_IVA_is_included()
    {
        var merchant = await Merchant.SignUpAsync(factory);
        var add = await merchant.Client.GetAsync("/mi-cuenta/servicios/agregar");
        Assert.Contains("al mes, IVA incluido", add.Text);
        var contract = await merchant.Client.GetAsync("/mi-cuenta/servicios/contratar/portal-de-pagos");
        Assert.Contains("Precio mensual (IVA incluido)", contract.Text);
    }
}
