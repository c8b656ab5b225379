using System.Net.Http.Json;
using Abono.Web.Features.Payments;

namespace Abono.Web.Gateways.Sandbox;

/// <summary>
/// The built-in test gateway. It talks to the sandbox endpoints over HTTP exactly as a real adapter talks to its
/// provider: create the payment, send the browser to the hosted page, then ask the status API.
/// </summary>
public sealed class SandboxGateway(IHttpClientFactory httpClients) : IPaymentGateway
{
    public const string HttpClientName = "sandbox";

    public GatewayKind Kind => GatewayKind.Sandbox;

    public GatewayCapabilities Capabilities => GatewayCapabilities.StatusQuery | GatewayCapabilities.ConnectionTest;

    public async Task<GatewayStart> StartAsync(GatewayContext context, Checkout checkout, CancellationToken ct)
    {
        var client = Client(context);
        var response = await client.PostAsJsonAsync("/sandbox/api/pagos", new SandboxCreateRequest(
            checkout.Id.ToString(), checkout.Amount, checkout.Currency, context.MerchantName, checkout.Description,
            context.ReturnUrl(checkout.Id).ToString()), ct);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<SandboxCreateResponse>(ct)
            ?? throw new InvalidOperationException("The sandbox answered an empty body.");
        return new GatewayStart(new Uri(created.Url), PostForm: false, new Dictionary<string, string>(), created.Id);
    }

    public Task<GatewayStatus> HandleReturnAsync(GatewayContext context, Checkout checkout, IReadOnlyDictionary<string, string> returnData, CancellationToken ct) =>
        QueryStatusAsync(context, checkout, ct);

    public async Task<GatewayStatus> QueryStatusAsync(GatewayContext context, Checkout checkout, CancellationToken ct)
    {
        if (checkout.GatewayReference is null)
        {
            return new GatewayStatus(GatewayOutcome.Pending, null, null, null, "El pago aún no se inicia.");
        }
        var response = await Client(context).GetAsync($"/sandbox/api/pagos/{checkout.GatewayReference}", ct);
        if (!response.IsSuccessStatusCode)
        {
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, $"La pasarela de prueba respondió {(int)response.StatusCode}.");
        }
        var status = await response.Content.ReadFromJsonAsync<SandboxStatusResponse>(ct);
        if (status is null || status.OrderReference != checkout.Id.ToString())
        {
            return new GatewayStatus(GatewayOutcome.Unknown, null, null, checkout.GatewayReference, "La respuesta no corresponde a este pago.");
        }
        var outcome = status.Status switch
        {
            "approved" => GatewayOutcome.Approved,
            "rejected" => GatewayOutcome.Rejected,
            "abandoned" => GatewayOutcome.Cancelled,
            "pending" => GatewayOutcome.Pending,
            _ => GatewayOutcome.Unknown,
        };
        var reason = outcome switch
        {
            GatewayOutcome.Rejected => "La pasarela de prueba rechazó el pago.",
            GatewayOutcome.Cancelled => "Abandonaste el pago en la pasarela.",
            _ => null,
        };
        return new GatewayStatus(outcome, status.Amount, status.Currency, status.Id, reason);
    }

    public GatewayWebhook? VerifyWebhook(GatewayContext context, WebhookRequest request) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Webhooks);

    public Task<WebhookResolution> ResolveWebhookAsync(GatewayContext context, GatewayWebhook webhook, CancellationToken ct) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Webhooks);

    public Task<GatewayRefund> RefundAsync(GatewayContext context, Checkout checkout, long amount, string idempotencyKey, CancellationToken ct) =>
        throw new GatewayCapabilityException(Kind, GatewayCapabilities.Refunds);

    public async Task<ConnectionTestResult> TestConnectionAsync(GatewayContext context, CancellationToken ct)
    {
        try
        {
            var response = await Client(context).GetAsync("/sandbox/api/estado", ct);
            return response.IsSuccessStatusCode
                ? new ConnectionTestResult(true, "La pasarela de prueba responde correctamente.")
                : new ConnectionTestResult(false, $"La pasarela de prueba respondió {(int)response.StatusCode}.");
        }
        catch (HttpRequestException)
        {
            return new ConnectionTestResult(false, "No se pudo conectar con la pasarela de prueba.");
        }
    }

    private HttpClient Client(GatewayContext context)
    {
        var client = httpClients.CreateClient(HttpClientName);
        client.BaseAddress ??= context.SelfBaseUrl;
        return client;
    }
}

public sealed record SandboxCreateRequest(string OrderReference, long Amount, string Currency, string MerchantName, string Description, string ReturnUrl);

public sealed record SandboxCreateResponse(string Id, string Url);

public sealed record SandboxStatusResponse(string Id, string OrderReference, string Status, long Amount, string Currency);
