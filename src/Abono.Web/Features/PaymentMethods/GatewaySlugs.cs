using Abono.Web.Gateways;

namespace Abono.Web.Features.PaymentMethods;

/// <summary>URL names of the gateways: /configuracion/medios-de-pago/nuevo/webpay.</summary>
public static class GatewaySlugs
{
    private static readonly Dictionary<GatewayKind, string> Slugs = new()
    {
        [GatewayKind.Webpay] = "webpay",
        [GatewayKind.MercadoPago] = "mercadopago",
        [GatewayKind.Stripe] = "stripe",
        [GatewayKind.Khipu] = "khipu",
        [GatewayKind.Flow] = "flow",
        [GatewayKind.Fintoc] = "fintoc",
        [GatewayKind.Transfer] = "transferencia",
        [GatewayKind.Sandbox] = "prueba",
    };

    public static string Slug(this GatewayKind kind) => Slugs[kind];

    public static GatewayKind? FromSlug(string? slug) =>
        Slugs.FirstOrDefault(s => s.Value == slug) is { Value: not null } match ? match.Key : null;

    public static string Summary(this GatewayKind kind) => kind switch
    {
        GatewayKind.Webpay => "Tarjetas de crédito, débito y prepago con Transbank.",
        GatewayKind.MercadoPago => "Checkout Pro: tarjetas, saldo en cuenta y más.",
        GatewayKind.Stripe => "Tarjetas internacionales y nacionales.",
        GatewayKind.Khipu => "Transferencias inmediatas desde cualquier banco chileno.",
        GatewayKind.Flow => "Webpay, Khipu, Mach y más, con una sola cuenta Flow.",
        GatewayKind.Fintoc => "Pagos de cuenta a cuenta, incluidas cuentas de empresa con apoderados.",
        GatewayKind.Transfer => "Tu cliente transfiere y tú confirmas el pago.",
        GatewayKind.Sandbox => "Pasarela de prueba, sin dinero real, para probar el portal.",
        _ => "",
    };
}
