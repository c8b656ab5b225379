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
        builder.Services.Configure<GatewaysOptions>(builder.Configuration.GetSection(GatewaysOptions.Section));
        var timeout = builder.Configuration.GetSection(GatewaysOptions.Section).Get<GatewaysOptions>()?.Timeout ?? new GatewaysOptions().Timeout;
        // The providers' adapters. Payment methods of our own (the Pasarela de prueba, Transferencia bancaria) are
        // registered by their modules, as more IPaymentGateway.
        builder.Services.AddHttpClient(Webpay.WebpayGateway.HttpClientName, c => c.Timeout = timeout);
        builder.Services.AddSingleton<IPaymentGateway, Webpay.WebpayGateway>();
        builder.Services.AddHttpClient(MercadoPago.MercadoPagoGateway.HttpClientName, c => c.Timeout = timeout);
        builder.Services.AddSingleton<IPaymentGateway, MercadoPago.MercadoPagoGateway>();
        // Stripe.net applies its own retries (idempotency keys on every POST) within this timeout.
        builder.Services.AddHttpClient(Stripe.StripeGateway.HttpClientName, c => c.Timeout = timeout * 1.5);
        builder.Services.AddSingleton<IPaymentGateway, Stripe.StripeGateway>();
        builder.Services.AddHttpClient(Khipu.KhipuGateway.HttpClientName, c => c.Timeout = timeout);
        builder.Services.AddSingleton<IPaymentGateway, Khipu.KhipuGateway>();
        builder.Services.AddHttpClient(Flow.FlowGateway.HttpClientName, c => c.Timeout = timeout);
        builder.Services.AddSingleton<IPaymentGateway, Flow.FlowGateway>();
        builder.Services.AddHttpClient(Fintoc.FintocGateway.HttpClientName, c => c.Timeout = timeout);
        builder.Services.AddSingleton<IPaymentGateway, Fintoc.FintocGateway>();
        builder.Services.AddSingleton<GatewayRegistry>();
        return builder;
    }

    public static string Name(this GatewayKind kind) => kind switch
    {
        GatewayKind.Sandbox => "Pasarela de prueba",
        GatewayKind.Webpay => "Webpay Plus",
        GatewayKind.MercadoPago => "Mercado Pago",
        GatewayKind.Stripe => "Stripe",
        GatewayKind.Transfer => "Transferencia bancaria",
        GatewayKind.Khipu => "Khipu",
        GatewayKind.Flow => "Flow",
        GatewayKind.Fintoc => "Fintoc",
        _ => kind.ToString(),
    };

    /// <summary>What the payer pays with there, in the words they know (shown under the method's name in the portal).</summary>
    public static string PayerDescription(this GatewayKind kind) => kind switch
    {
        GatewayKind.Sandbox => "Pago simulado para probar el portal; no se mueve dinero.",
        GatewayKind.Webpay => "Tarjetas de débito, crédito y prepago, con Transbank.",
        GatewayKind.MercadoPago => "Tarjetas o tu saldo en Mercado Pago.",
        GatewayKind.Stripe => "Tarjeta de crédito o débito.",
        GatewayKind.Transfer => "Transfiere desde tu banco; la empresa confirma el pago al verlo.",
        GatewayKind.Khipu => "Transferencia inmediata desde tu banco, con Khipu.",
        GatewayKind.Flow => "Webpay, transferencia, Mach y otros medios, con Flow.",
        GatewayKind.Fintoc => "Pago directo desde tu cuenta bancaria, personal o de empresa, con Fintoc.",
        _ => "",
    };

    /// <summary>Why paying here is safe: the payer's card or bank data never passes through Abono.</summary>
    public static string TrustLine(this GatewayKind kind) => kind switch
    {
        GatewayKind.Webpay => "Pagas directamente en Webpay; Abono no ve los datos de tu tarjeta.",
        GatewayKind.MercadoPago => "Pagas directamente en Mercado Pago; Abono no ve los datos de tu tarjeta.",
        GatewayKind.Stripe => "Pagas directamente en Stripe; Abono no ve los datos de tu tarjeta.",
        GatewayKind.Transfer => "Transfieres desde tu propio banco; Abono no ve tus claves.",
        GatewayKind.Khipu => "Pagas directamente en Khipu; Abono no ve tus claves bancarias.",
        GatewayKind.Flow => "Pagas directamente en Flow; Abono no ve los datos de tu tarjeta ni tus claves.",
        GatewayKind.Fintoc => "Pagas directamente en Fintoc; Abono no ve tus claves bancarias.",
        GatewayKind.Sandbox => "Modo de prueba: no ingreses datos reales.",
        _ => "",
    };
}
