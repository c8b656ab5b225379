using System.Text.RegularExpressions;
using Abono.Web.Gateways;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Validation;

namespace Abono.Web.Features.PaymentMethods;

/// <summary>One field of a gateway's configuration form, with the format check its provider imposes.</summary>
public sealed record GatewayField(string Key, string Label, bool Secret, Func<string, string?> Validate, string? Help = null, string[]? Options = null);

/// <summary>What each gateway asks for in Medios de pago, and how each value is checked before it is stored.</summary>
public static partial class GatewayForms
{
    public static readonly string[] Banks =
    [
        "Banco de Chile", "Banco del Estado de Chile (BancoEstado)", "Banco Santander Chile", "Banco de Crédito e Inversiones (Bci)",
        "Scotiabank Chile", "Banco Itaú Chile", "Banco Security", "Banco Falabella", "Banco Ripley", "Banco Consorcio",
        "Banco BICE", "Banco Internacional", "Coopeuch", "Tenpo", "Mercado Pago (cuenta)",
    ];

    public static readonly string[] AccountTypes = ["Cuenta corriente", "Cuenta vista", "Cuenta RUT", "Cuenta de ahorro"];

    public static readonly string[] WebpayEnvironments = ["integracion", "produccion"];

    public static readonly string[] FlowEnvironments = ["sandbox", "produccion"];

    public static readonly GatewayKind[] Configurable =
        [GatewayKind.Webpay, GatewayKind.MercadoPago, GatewayKind.Stripe, GatewayKind.Khipu, GatewayKind.Flow, GatewayKind.Fintoc, GatewayKind.Transfer, GatewayKind.Sandbox];

    public static IReadOnlyList<GatewayField> FieldsOf(GatewayKind kind) => kind switch
    {
        GatewayKind.Webpay =>
        [
            new("CommerceCode", "Código de comercio", false, v => CommerceCode().IsMatch(v) ? null : "El código de comercio tiene 12 dígitos (ejemplo: 597055555532).",
                "Lo entrega Transbank al afiliarte a Webpay Plus."),
            new("ApiKeySecret", "API Key secret", true, v => ApiKey().IsMatch(v) ? null : "La API Key secret tiene entre 32 y 128 letras o números, sin espacios."),
            new("Environment", "Ambiente", false, v => WebpayEnvironments.Contains(v) ? null : "Elige integración o producción.", Options: WebpayEnvironments),
        ],
        GatewayKind.MercadoPago =>
        [
            new("AccessToken", "Access token", true, v => MercadoPagoToken().IsMatch(v) ? null : "El access token comienza con APP_USR- (producción) o TEST- (pruebas).",
                "En Mercado Pago: Tus integraciones → Credenciales."),
            new("WebhookSecret", "Clave secreta de webhooks", true, v => WebhookSecret().IsMatch(v) ? null : "La clave secreta tiene entre 16 y 128 letras o números."),
        ],
        GatewayKind.Stripe =>
        [
            new("SecretKey", "Secret key", true, v => StripeKey().IsMatch(v) ? null : "La secret key comienza con sk_live_, sk_test_ o rk_ y no tiene espacios."),
            new("WebhookSecret", "Webhook signing secret", true, v => StripeWebhook().IsMatch(v) ? null : "El signing secret comienza con whsec_."),
        ],
        GatewayKind.Khipu =>
        [
            new("ApiKey", "Llave de la API", true, v => KhipuKey().IsMatch(v) ? null : "La llave de la API de Khipu tiene entre 20 y 100 letras, números o guiones.",
                "En Khipu: Opciones de la cuenta → Para desarrolladores → Llave para la API v3."),
            // Which of the account's secrets signs x-khipu-signature is not confirmed in Khipu's documentation: asked for here.
            new("NotificationSecret", "Llave secreta de notificaciones", true, v => WebhookSecret().IsMatch(v) ? null : "La llave secreta tiene entre 16 y 128 letras o números.",
                "Khipu firma cada notificación de pago (x-khipu-signature) con la llave secreta de tu cuenta de cobro. Si Probar conexión funciona pero los pagos solo se confirman al volver el cliente, revisa esta llave."),
        ],
        GatewayKind.Flow =>
        [
            new("ApiKey", "apiKey", false, v => FlowKey().IsMatch(v) ? null : "La apiKey de Flow tiene entre 20 y 100 letras, números o guiones.",
                "En Flow: Mis datos → Seguridad."),
            new("SecretKey", "secretKey", true, v => FlowKey().IsMatch(v) ? null : "La secretKey de Flow tiene entre 20 y 100 letras o números.",
                "Con ella firmamos cada llamada a Flow; no se muestra a nadie."),
            new("Environment", "Ambiente", false, v => FlowEnvironments.Contains(v) ? null : "Elige sandbox o producción.", Options: FlowEnvironments),
            new("Email", "Correo para Flow", false, v => Rules.IsValidEmail(v) ? null : "Ingresa un correo válido.",
                "Flow exige un correo por pago: usamos el del cliente y, si no lo tiene, este."),
        ],
        GatewayKind.Fintoc =>
        [
            new("SecretKey", "Secret key", true, v => FintocKey().IsMatch(v) ? null : "La secret key comienza con sk_live_ o sk_test_ y no tiene espacios.",
                "En el panel de Fintoc: API Keys."),
            new("WebhookSecret", "Secreto del webhook", true, v => FintocWebhook().IsMatch(v) ? null : "El secreto del webhook comienza con whsec_.",
                "Fintoc lo muestra una sola vez, al crear el webhook que apunta a la dirección que verás en Medios de pago."),
        ],
        GatewayKind.Transfer =>
        [
            new("Bank", "Banco", false, v => Banks.Contains(v) ? null : "Elige el banco.", Options: Banks),
            new("AccountType", "Tipo de cuenta", false, v => AccountTypes.Contains(v) ? null : "Elige el tipo de cuenta.", Options: AccountTypes),
            new("AccountNumber", "Número de cuenta", false, v => AccountNumber().IsMatch(v) ? null : "El número de cuenta tiene entre 4 y 20 dígitos (puede llevar guiones)."),
            new("Holder", "Titular", false, v => v.Length is >= 2 and <= 120 ? null : "Ingresa el nombre del titular."),
            new("HolderRut", "RUT del titular", false, v => Rut.Validate(v)),
            new("Email", "Correo para comprobantes", false, v => Rules.IsValidEmail(v) ? null : "Ingresa un correo válido."),
        ],
        _ => [],
    };

    /// <summary>Checks and normalizes the submitted values. Blank secrets keep the stored ones when editing.</summary>
    public static (Dictionary<string, string> Settings, Dictionary<string, string> Secrets, FieldErrors Errors) Read(
        GatewayKind kind, IReadOnlyDictionary<string, string?> submitted, IReadOnlyDictionary<string, string> storedSecrets)
    {
        var settings = new Dictionary<string, string>();
        var secrets = new Dictionary<string, string>();
        var errors = new FieldErrors();
        foreach (var field in FieldsOf(kind))
        {
            var value = submitted.TryGetValue(field.Key, out var raw) ? raw?.Trim() : null;
            if (string.IsNullOrEmpty(value))
            {
                if (field.Secret && storedSecrets.TryGetValue(field.Key, out var kept))
                {
                    secrets[field.Key] = kept;
                    continue;
                }
                errors.Add($"Fields[{field.Key}]", $"Ingresa {field.Label.ToLowerInvariant()}.");
                continue;
            }
            if (value.Length > 500 || field.Validate(value) is { } error)
            {
                errors.Add($"Fields[{field.Key}]", value.Length > 500 ? "El valor es demasiado largo." : field.Validate(value)!);
                continue;
            }
            // Bank details are shown to payers and credentials are sent in headers: no control characters in either.
            if (errors.RefuseControlCharacters($"Fields[{field.Key}]", value))
            {
                continue;
            }
            if (field.Key == "HolderRut")
            {
                value = Rut.Parse(value).Normalized;
            }
            (field.Secret ? secrets : settings)[field.Key] = value;
        }
        return (settings, secrets, errors);
    }

    public static string Mask(string secret) => secret.Length <= 4 ? "••••" : "••••" + secret[^4..];

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex CommerceCode();

    [GeneratedRegex(@"^[A-Za-z0-9]{32,128}$")]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"^(APP_USR|TEST)-[A-Za-z0-9\-]{10,200}$")]
    private static partial Regex MercadoPagoToken();

    [GeneratedRegex(@"^[A-Za-z0-9]{16,128}$")]
    private static partial Regex WebhookSecret();

    [GeneratedRegex(@"^(sk_live_|sk_test_|rk_live_|rk_test_)[A-Za-z0-9]{10,250}$")]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"^whsec_[A-Za-z0-9]{10,250}$")]
    private static partial Regex StripeWebhook();

    [GeneratedRegex(@"^[A-Za-z0-9\-]{20,100}$")]
    private static partial Regex KhipuKey();

    [GeneratedRegex(@"^[A-Za-z0-9\-]{20,100}$")]
    private static partial Regex FlowKey();

    [GeneratedRegex(@"^(sk_live_|sk_test_)[A-Za-z0-9_\-]{10,250}$")]
    private static partial Regex FintocKey();

    [GeneratedRegex(@"^whsec_[A-Za-z0-9_]{10,250}$")]
    private static partial Regex FintocWebhook();

    [GeneratedRegex(@"^[0-9][0-9\-]{2,18}[0-9]$")]
    private static partial Regex AccountNumber();
}
