using Abono.Web.Gateways;
using Abono.Web.Gateways.MercadoPago;
using Abono.Web.Gateways.Stripe;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Abono.Tests.Payments.Gateways;

/// <summary>
/// Signature vectors for the two signed webhooks. The expected hex values were computed independently (Python's
/// hmac module) from the documented recipes, not by our code.
/// </summary>
public class WebhookSignatureTests
{
    private const long Ts = 1704908010;   // Mercado Pago's own example timestamp (seconds)
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.FromUnixTimeSeconds(Ts + 30));

    private const string MpSecret = "abonoTestWebhookSecret2026";
    private const string MpRequestId = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e";
    private const string MpV1 = "5eb4821c62a9095ca970251553cb6be6e832482d25d49bef35c9a8f473865693";

    private const string StripeSecret = "whsec_abonoTestSigningSecret";
    private const string StripeBody = """{"id":"evt_1","object":"event","api_version":"2026-10-28.endive","created":1704908010,"data":{"object":{"id":"cs_test_1","object":"checkout.session","client_reference_id":"0192f0c4-0000-7000-8000-000000000001","status":"complete","payment_status":"paid"}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"checkout.session.completed"}""";
    private const string StripeV1 = "ddecc5753a9bbc74b2d117cd2f2160d93e92949baaf0043f48b371be25f7a648";

    private static GatewayContext Context(string secret) => new(new Uri("https://abono.test/"), new Dictionary<string, string>(),
        new Dictionary<string, string> { ["WebhookSecret"] = secret }, "X");

    private static MercadoPagoGateway MercadoPago(FakeTimeProvider clock) =>
        new(null!, Microsoft.Extensions.Options.Options.Create(new GatewaysOptions()), clock, NullLogger<MercadoPagoGateway>.Instance);

    private static StripeGateway Stripe(FakeTimeProvider clock) =>
        new(null!, Microsoft.Extensions.Options.Options.Create(new GatewaysOptions()), clock, NullLogger<StripeGateway>.Instance);

    private static WebhookRequest MpRequest(string signature, string dataId = "123456", string body = """{"id":12345,"type":"payment","action":"payment.created","data":{"id":"123456"}}""") =>
        new(body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["x-signature"] = signature, ["x-request-id"] = MpRequestId },
            new Dictionary<string, string> { ["data.id"] = dataId, ["type"] = "payment" });

    [Fact]
    public void Mercado_Pago_manifest_is_built_as_documented()
    {
        Assert.Equal($"id:123456;request-id:{MpRequestId};ts:{Ts};", MercadoPagoSignature.Manifest("123456", MpRequestId, Ts.ToString()));
        Assert.Equal($"request-id:{MpRequestId};ts:{Ts};", MercadoPagoSignature.Manifest(null, MpRequestId, Ts.ToString()));
    }

    [Fact]
    public void Mercado_Pago_valid_signature_is_accepted_with_its_event_id()
    {
        var webhook = MercadoPago(Clock).VerifyWebhook(Context(MpSecret), MpRequest($"ts={Ts},v1={MpV1}"));
        Assert.NotNull(webhook);
        Assert.Equal(("12345", "payment", "123456"), (webhook.EventId, webhook.Type, webhook.ResourceId));
        // The docs' prose says milliseconds: a millisecond ts (signed as sent) is read as such, not as a date 56,000 years out.
        Assert.NotNull(MercadoPago(Clock).VerifyWebhook(Context(MpSecret),
            MpRequest($"ts={Ts * 1000},v1=291d602224c820aa0db0d23a1d4e8b58af0d350f18f6aeb82ab231b23591e03e")));
    }

    [Theory]
    [InlineData("wrong secret")]
    [InlineData("tampered data.id")]
    [InlineData("tampered v1")]
    [InlineData("missing v1")]
    [InlineData("missing header")]
    [InlineData("stale timestamp")]
    public void Mercado_Pago_bad_signatures_are_refused(string variant)
    {
        var gateway = MercadoPago(variant == "stale timestamp" ? new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Ts + 301)) : Clock);
        var (context, request) = variant switch
        {
            "wrong secret" => (Context("anotherSecretThatIsNotOurs"), MpRequest($"ts={Ts},v1={MpV1}")),
            "tampered data.id" => (Context(MpSecret), MpRequest($"ts={Ts},v1={MpV1}", dataId: "123457")),
            "tampered v1" => (Context(MpSecret), MpRequest($"ts={Ts},v1={MpV1[..^1]}4")),
            "missing v1" => (Context(MpSecret), MpRequest($"ts={Ts}")),
            "missing header" => (Context(MpSecret), MpRequest("")),
            _ => (Context(MpSecret), MpRequest($"ts={Ts},v1={MpV1}")),
        };
        Assert.Null(gateway.VerifyWebhook(context, request));
    }

    private static WebhookRequest StripeRequest(string header, string body = StripeBody) =>
        new(body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Stripe-Signature"] = header }, new Dictionary<string, string>());

    [Fact]
    public void Stripe_valid_signature_is_accepted_even_among_other_v1_values()
    {
        var webhook = Stripe(Clock).VerifyWebhook(Context(StripeSecret), StripeRequest($"t={Ts},v1={new string('0', 64)},v1={StripeV1}"));
        Assert.NotNull(webhook);
        Assert.Equal(("evt_1", "checkout.session.completed", "cs_test_1"), (webhook.EventId, webhook.Type, webhook.ResourceId));
    }

    [Theory]
    [InlineData("wrong secret")]
    [InlineData("tampered body")]
    [InlineData("stale timestamp")]
    [InlineData("no signature")]
    public void Stripe_bad_signatures_are_refused(string variant)
    {
        var gateway = Stripe(variant == "stale timestamp" ? new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Ts + 301)) : Clock);
        var (context, request) = variant switch
        {
            "wrong secret" => (Context("whsec_someoneElsesSecret"), StripeRequest($"t={Ts},v1={StripeV1}")),
            "tampered body" => (Context(StripeSecret), StripeRequest($"t={Ts},v1={StripeV1}", StripeBody.Replace("\"paid\"", "\"unpaid\""))),
            "no signature" => (Context(StripeSecret), StripeRequest("")),
            _ => (Context(StripeSecret), StripeRequest($"t={Ts},v1={StripeV1}")),
        };
        Assert.Null(gateway.VerifyWebhook(context, request));
    }
}
