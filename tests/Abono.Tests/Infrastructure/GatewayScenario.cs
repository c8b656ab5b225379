using Abono.FakeGateways;
using Abono.Web.Features.PaymentMethods;
using Abono.Web.Gateways;

namespace Abono.Tests.Infrastructure;

/// <summary>A business with Portal de pagos whose only enabled method is one real gateway (at the fakes), configured through Medios de pago.</summary>
public sealed class GatewayScenario
{
    public required PortalScenario Portal { get; init; }
    public required long MethodId { get; init; }
    public required GatewayKind Kind { get; init; }
    public required GatewayFactory Factory { get; init; }

    public static readonly IReadOnlyDictionary<GatewayKind, Dictionary<string, string?>> Credentials = new Dictionary<GatewayKind, Dictionary<string, string?>>
    {
        [GatewayKind.Webpay] = new() { ["CommerceCode"] = FakeAccounts.WebpayCommerceCode, ["ApiKeySecret"] = FakeAccounts.WebpayApiKeySecret, ["Environment"] = "integracion" },
        [GatewayKind.MercadoPago] = new() { ["AccessToken"] = FakeAccounts.MercadoPagoAccessToken, ["WebhookSecret"] = FakeAccounts.MercadoPagoWebhookSecret },
        [GatewayKind.Stripe] = new() { ["SecretKey"] = FakeAccounts.StripeSecretKey, ["WebhookSecret"] = FakeAccounts.StripeWebhookSecret },
        [GatewayKind.Khipu] = new() { ["ApiKey"] = FakeAccounts.KhipuApiKey, ["NotificationSecret"] = FakeAccounts.KhipuNotificationSecret },
        [GatewayKind.Flow] = new() { ["ApiKey"] = FakeAccounts.FlowApiKey, ["SecretKey"] = FakeAccounts.FlowSecretKey, ["Environment"] = "sandbox", ["Email"] = "cobranza@empresa.cl" },
        [GatewayKind.Fintoc] = new() { ["SecretKey"] = FakeAccounts.FintocSecretKey, ["WebhookSecret"] = FakeAccounts.FintocWebhookSecret },
    };

    public static async Task<GatewayScenario> CreateAsync(GatewayFactory factory, GatewayKind kind, int documents = 3)
    {
        factory.RouteWebhooksToApp();
        var portal = await PortalScenario.CreateAsync(factory, documents: documents);
        var methodId = await AddAndEnableAsync(portal, kind);
        if (kind == GatewayKind.Stripe)
        {
            // In Stripe's dashboard the business points its webhook endpoint at the URL Medios de pago shows.
            factory.Fakes.State.StripeAccounts[FakeAccounts.StripeSecretKey] =
                new StripeAccount(FakeAccounts.StripeWebhookSecret, $"http://localhost/webhooks/stripe/{WebhookKeys.ForMethod(methodId)}");
        }
        if (kind == GatewayKind.Fintoc)
        {
            // Fintoc, too, sends webhooks only to the endpoint registered in its dashboard.
            factory.Fakes.State.FintocAccounts[FakeAccounts.FintocSecretKey] =
                new FintocAccount(FakeAccounts.FintocWebhookSecret, $"http://localhost/webhooks/fintoc/{WebhookKeys.ForMethod(methodId)}");
        }
        return new GatewayScenario { Portal = portal, MethodId = methodId, Kind = kind, Factory = factory };
    }

    /// <summary>Medios de pago → Agregar the gateway with the fakes' credentials, then make it the portal's only method.</summary>
    public static async Task<long> AddAndEnableAsync(PortalScenario portal, GatewayKind kind)
    {
        var client = portal.Merchant.Client;
        await client.FillAsync($"/configuracion/medios-de-pago/nuevo/{kind.Slug()}", Credentials[kind].ToDictionary(c => $"Fields[{c.Key}]", c => c.Value));
        long methodId;
        await using (var scope = portal.Factory.ScopeFor(portal.Merchant.CompanyId))
        {
            methodId = await scope.Db.PaymentMethods.Where(m => m.Kind == kind).Select(m => m.Id).SingleAsync();
        }
        var page = await client.GetAsync("/configuracion/portal-de-pagos/editar");
        var (action, form) = page.FormFields(new Dictionary<string, string?>(), null, "aside form");
        form.RemoveAll(f => f.Key == "Input.EnabledMethodIds");
        form.Add(new("Input.EnabledMethodIds", methodId.ToString()));
        await client.Http.PostAsync(action, new FormUrlEncodedContent(form));
        return methodId;
    }

    /// <summary>An identified payer presses Pagar for the documents; the browser ends on the gateway's page.</summary>
    public async Task<(TwoHostBrowser Browser, AppClient.Page GatewayPage)> StartAsync(IEnumerable<long>? documentIds = null, TwoHostBrowser? browser = null)
    {
        browser ??= new TwoHostBrowser(await Portal.IdentifiedPayerAsync(), Factory.Fakes.BaseUrl);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));   // so "the last checkout" is well defined under the fake clock
        var response = await Portal.PostPaymentAsync(browser.App, documentIds, methodId: MethodId);
        return (browser, await browser.FollowAsync(response, $"/portal/{Portal.Code}/documentos"));
    }

    /// <summary>The id of this company's most recent payment.</summary>
    public async Task<long> LastPaymentIdAsync()
    {
        await using var scope = Factory.ScopeFor(Portal.Merchant.CompanyId);
        return await scope.Db.Payments.OrderByDescending(p => p.Id).Select(p => p.Id).FirstAsync();
    }

    /// <summary>Reportes → Pagos → the payment → Reembolsar the amount, as the business's administrator.</summary>
    public async Task<AppClient.Page> RefundAsync(long paymentId, long amount)
    {
        var client = Portal.Merchant.Client;
        return await client.SubmitAsync(await client.GetAsync($"/reportes/pagos/{paymentId}"),
            new Dictionary<string, string?> { ["RefundAmount"] = amount.ToString() }, form: "form[data-refund]");
    }

    /// <summary>This company's outbox emails whose body contains <paramref name="text"/>.</summary>
    public async Task<int> EmailsContainingAsync(string text)
    {
        await using var scope = Factory.ScopeFor(Portal.Merchant.CompanyId);
        return await scope.Db.Outbox.CountAsync(m => m.CompanyId == Portal.Merchant.CompanyId && m.Payload.Contains(text));
    }

    public async Task<Abono.Web.Features.Payments.Checkout> LastCheckoutAsync()
    {
        await using var scope = Factory.ScopeFor(Portal.Merchant.CompanyId);
        return await scope.Db.Checkouts.AsNoTracking().Where(c => c.Gateway == Kind).OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).FirstAsync();
    }
}
