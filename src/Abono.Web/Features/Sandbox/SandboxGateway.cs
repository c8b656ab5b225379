using Abono.Web.Data;
using Abono.Web.Gateways;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Sandbox;

/// <summary>
/// The built-in test gateway. Its "provider" lives in this process: starting a payment writes the sandbox's own
/// record (apart from our checkouts, as a real provider's would be), the hosted page at /sandbox/pagar/{id} takes
/// the payer's decision once, and the status is read back from that record. Nothing goes over HTTP, so no request
/// header (Host, X-Forwarded-*) can send the status question to another server.
/// </summary>
public sealed class SandboxGateway(IServiceScopeFactory scopes, TimeProvider clock) : IPaymentGateway
{
    public GatewayKind Kind => GatewayKind.Sandbox;

    public GatewayCapabilities Capabilities => GatewayCapabilities.StatusQuery | GatewayCapabilities.ConnectionTest | GatewayCapabilities.TerminalFailures;

    public async Task<GatewayStart> StartAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        var payment = new SandboxPayment
        {
            OrderReference = checkout.Id.ToString(),
            Amount = checkout.Amount,
            Currency = checkout.Currency,
            MerchantName = Cut(context.MerchantName),
            Description = Cut(checkout.Description),
            ReturnUrl = checkout.ReturnUrl.ToString(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        db.SandboxPayments.Add(payment);
        await db.SaveChangesAsync(ct);
        return new GatewayStart(new Uri(context.SelfBaseUrl, $"sandbox/pagar/{payment.Id}"), PostForm: false, new Dictionary<string, string>(), payment.Id.ToString());
    }

    public Task<GatewayStatus> HandleReturnAsync(GatewayContext context, GatewayCheckout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct) =>
        QueryStatusAsync(context, checkout, ct);

    public async Task<GatewayStatus> QueryStatusAsync(GatewayContext context, GatewayCheckout checkout, CancellationToken ct)
    {
        if (!Guid.TryParse(checkout.GatewayReference, out var id))
        {
            return new GatewayStatus(GatewayOutcome.Pending, null, null, null, "El pago aún no se inicia.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var payment = await db.SandboxPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (payment is null || payment.OrderReference != checkout.Id.ToString())
        {
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, "La respuesta no corresponde a este pago.");
        }
        return payment.Decision switch
        {
            SandboxDecision.Approved => new GatewayStatus(GatewayOutcome.Approved, payment.Amount, payment.Currency, payment.Id.ToString()),
            SandboxDecision.Rejected => new GatewayStatus(GatewayOutcome.Rejected, payment.Amount, payment.Currency, payment.Id.ToString(), "La pasarela de prueba rechazó el pago."),
            SandboxDecision.Abandoned => new GatewayStatus(GatewayOutcome.Cancelled, payment.Amount, payment.Currency, payment.Id.ToString(), "Abandonaste el pago en la pasarela."),
            _ => new GatewayStatus(GatewayOutcome.Pending, payment.Amount, payment.Currency, payment.Id.ToString()),
        };
    }

    public GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Webhooks);

    public Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Webhooks);

    public Task<GatewayRefund> RefundAsync(GatewayContext context, GatewayCheckout checkout, long amount, string idempotencyKey, CancellationToken ct) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Refunds);

    public Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct) =>
        Task.FromResult(new ConnectionTestResult(true, "La pasarela de prueba está disponible (modo de prueba, sin dinero real)."));

    private static string Cut(string value) => value[..Math.Min(200, value.Length)];
}
