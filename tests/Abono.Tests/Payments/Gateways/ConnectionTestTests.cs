using Abono.FakeGateways;
using Abono.Web.Gateways;

namespace Abono.Tests.Payments.Gateways;

/// <summary>Medios de pago → Probar conexión asks each provider a harmless question with the stored credentials.</summary>
public class ConnectionTestTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Theory]
    [InlineData(GatewayKind.Webpay, "Webpay respondió y aceptó las credenciales")]
    [InlineData(GatewayKind.MercadoPago, "Mercado Pago respondió y aceptó el access token")]
    [InlineData(GatewayKind.Stripe, "Stripe respondió y aceptó la secret key")]
    public async Task Probar_conexion_succeeds_with_good_credentials_and_says_why_with_bad_ones(GatewayKind kind, string success)
    {
        var merchant = await Merchant.SignUpAsync(factory, $"Conexión {kind} SpA");
        var fields = GatewayScenario.Credentials[kind].ToDictionary(c => $"Fields[{c.Key}]", c => c.Value);
        await merchant.Client.FillAsync($"/configuracion/medios-de-pago/nuevo/{Abono.Web.Features.PaymentMethods.GatewaySlugs.Slug(kind)}", fields);
        var list = await merchant.Client.GetAsync("/configuracion/medios-de-pago");
        var tested = await merchant.Client.SubmitAsync(list, new Dictionary<string, string?>(), button: "form[action*='handler=Test'] button");
        Assert.Contains(success, tested.Text);
        if (kind == GatewayKind.Stripe)
        {
            Assert.Contains("/webhooks/stripe/m", tested.Document.QuerySelector("[data-testid=webhook-url]")!.TextContent);
        }

        // Wrong secrets: the provider says 401, and the page says which credential to check.
        factory.Fakes.State.WebpayAccounts.Remove(FakeAccounts.WebpayCommerceCode);
        factory.Fakes.State.MercadoPagoAccounts.Remove(FakeAccounts.MercadoPagoAccessToken);
        var stripe = factory.Fakes.State.StripeAccounts[FakeAccounts.StripeSecretKey];
        factory.Fakes.State.StripeAccounts.Remove(FakeAccounts.StripeSecretKey);
        try
        {
            var refused = await merchant.Client.SubmitAsync(await merchant.Client.GetAsync("/configuracion/medios-de-pago"),
                new Dictionary<string, string?>(), button: "form[action*='handler=Test'] button");
            Assert.Contains(kind switch
            {
                GatewayKind.Webpay => "Transbank rechazó las credenciales",
                GatewayKind.MercadoPago => "Mercado Pago rechazó el access token",
                _ => "Stripe rechazó la secret key",
            }, refused.Text);
        }
        finally
        {
            factory.Fakes.State.WebpayAccounts[FakeAccounts.WebpayCommerceCode] = FakeAccounts.WebpayApiKeySecret;
            factory.Fakes.State.MercadoPagoAccounts[FakeAccounts.MercadoPagoAccessToken] = FakeAccounts.MercadoPagoWebhookSecret;
            factory.Fakes.State.StripeAccounts[FakeAccounts.StripeSecretKey] = stripe;
        }
    }
}
