using Abono.Web.Gateways.Sandbox;

namespace Abono.Web.Gateways;

public sealed class GatewayRegistry(IEnumerable<IPaymentGateway> gateways)
{
    private readonly Dictionary<GatewayKind, IPaymentGateway> _byKind = gateways.ToDictionary(g => g.Kind);

    public bool Has(GatewayKind kind) => _byKind.ContainsKey(kind);

    public IPaymentGateway Get(GatewayKind kind) =>
        _byKind.TryGetValue(kind, out var gateway)
            ? gateway
            : throw new InvalidOperationException($"No adapter is registered for {kind}.");
}

public static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGateways(this IHostApplicationBuilder builder)
    {
        var sandbox = SandboxMode.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(sandbox);
        if (sandbox.Enabled)
        {
            builder.Services.AddSingleton<IPaymentGateway, SandboxGateway>();
        }
        builder.Services.AddHttpClient(Webpay.WebpayGateway.HttpClientName, c => c.Timeout = GatewayTimeout(builder.Configuration));
        builder.Services.AddSingleton<IPaymentGateway, Webpay.WebpayGateway>();
        builder.Services.AddHttpClient(MercadoPago.MercadoPagoGateway.HttpClientName, c => c.Timeout = GatewayTimeout(builder.Configuration));
        builder.Services.AddSingleton<IPaymentGateway, MercadoPago.MercadoPagoGateway>();
        // Stripe.net applies its own retries (idempotency keys on every POST) within this timeout.
        builder.Services.AddHttpClient(Stripe.StripeGateway.HttpClientName, c => c.Timeout = GatewayTimeout(builder.Configuration) * 1.5);
        builder.Services.AddSingleton<IPaymentGateway, Stripe.StripeGateway>();
        builder.Services.AddSingleton<IPaymentGateway, Transfer.TransferGateway>();
        builder.Services.AddSingleton<GatewayRegistry>();
        return builder;
    }

    private static TimeSpan GatewayTimeout(IConfiguration configuration) => TimeSpan.FromSeconds(configuration.GetValue("Gateways:TimeoutSeconds", 20));

    public static string Name(this GatewayKind kind) => kind switch
    {
        GatewayKind.Sandbox => "Pasarela de prueba",
        GatewayKind.Webpay => "Webpay Plus",
        GatewayKind.MercadoPago => "Mercado Pago",
        GatewayKind.Stripe => "Stripe",
        GatewayKind.Transfer => "Transferencia bancaria",
        _ => kind.ToString(),
    };
}
