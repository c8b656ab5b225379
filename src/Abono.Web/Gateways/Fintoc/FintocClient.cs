using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Abono.Web.Gateways.Fintoc;

/// <summary>Fintoc's API v1: the secret key as the whole Authorization header (no Bearer), JSON in and out.</summary>
public sealed class FintocClient(HttpClient http, Uri apiBase, string secretKey)
{
    public const string DefaultBase = "https://api.fintoc.com";

    public Task<JsonElement> CreateSessionAsync(object session, string idempotencyKey, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/v1/checkout_sessions", session, idempotencyKey, ct);

    public Task<JsonElement> SessionAsync(string sessionId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"/v1/checkout_sessions/{Uri.EscapeDataString(sessionId)}", null, null, ct);

    /// <summary>Fintoc expires a session on request only while it is created (not opened by the payer, not finished).</summary>
    public Task<JsonElement> ExpireSessionAsync(string sessionId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/v1/checkout_sessions/{Uri.EscapeDataString(sessionId)}/expire", null, null, ct);

    public Task<JsonElement> RefundAsync(string paymentIntentId, long amount, string idempotencyKey, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/v1/refunds", new { resource_type = "payment_intent", resource_id = paymentIntentId, amount }, idempotencyKey, ct);

    public Task<JsonElement> PaymentIntentsAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "/v1/payment_intents", null, null, ct);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct)
    {
        // Appended, not resolved: a base with a path (a proxy, a fake) keeps it.
        using var request = new HttpRequestMessage(method, apiBase.ToString().TrimEnd('/') + path);
        request.Headers.TryAddWithoutValidation("Authorization", secretKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (idempotencyKey is not null)
        {
            // [UNVERIFIED for Fintoc: its SDKs accept an idempotency key; a provider that ignores it loses nothing.]
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, GatewayJsonOptions.OmitNulls), Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request, ct);
        return await GatewayJson.ReadAsync(response, "Fintoc", (status, message) => new FintocApiException(status, message), ["message"], ct);
    }
}

/// <summary>A clear 4xx from Fintoc ({"error": {"type", "code", "message"}}). <see cref="SpanishMessage"/> is what a person reads.</summary>
public sealed class FintocApiException(HttpStatusCode status, string message) : Exception($"Fintoc {(int)status}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string SpanishMessage => Status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "Fintoc rechazó la secret key: revisa tus credenciales.",
        HttpStatusCode.NotFound => "Fintoc no encontró el pago.",
        _ => "Fintoc rechazó la operación.",
    };
}
