using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Abono.Web.Gateways.MercadoPago;

/// <summary>Mercado Pago's REST API (preferences, payments, refunds) on a plain HttpClient with a Bearer access token.</summary>
public sealed class MercadoPagoClient(HttpClient http, Uri apiBase, string accessToken)
{
    public const string DefaultBase = "https://api.mercadopago.com";

    public Task<JsonElement> CreatePreferenceAsync(object preference, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/checkout/preferences", preference, null, ct);

    public Task<JsonElement> PaymentAsync(string paymentId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"/v1/payments/{Uri.EscapeDataString(paymentId)}", null, null, ct);

    public Task<JsonElement> SearchPaymentsAsync(string externalReference, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"/v1/payments/search?external_reference={Uri.EscapeDataString(externalReference)}&sort=date_created&criteria=desc", null, null, ct);

    public Task<JsonElement> RefundAsync(string paymentId, long amount, string idempotencyKey, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/v1/payments/{Uri.EscapeDataString(paymentId)}/refunds", new { amount }, idempotencyKey, ct);

    public Task<JsonElement> MeAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "/users/me", null, null, ct);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(apiBase, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("X-Idempotency-Key", idempotencyKey);
        }
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request, ct);
        return await GatewayJson.ReadAsync(response, "Mercado Pago", (status, message) => new MercadoPagoApiException(status, message), ["message"], ct);
    }
}

public sealed class MercadoPagoApiException(HttpStatusCode status, string message) : Exception($"Mercado Pago {(int)status}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string SpanishMessage => Status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "Mercado Pago rechazó el access token: revisa tus credenciales.",
        HttpStatusCode.NotFound => "Mercado Pago no encontró el pago.",
        _ => "Mercado Pago rechazó la operación.",
    };
}
