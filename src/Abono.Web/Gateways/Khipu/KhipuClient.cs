using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Abono.Web.Gateways.Khipu;

/// <summary>Khipu's instant payments API v3: JSON in and out, the account's key in x-api-key, no request signing.</summary>
public sealed class KhipuClient(HttpClient http, Uri apiBase, string apiKey)
{
    public const string DefaultBase = "https://payment-api.khipu.com";

    public Task<JsonElement> CreatePaymentAsync(object payment, CancellationToken ct) => SendAsync(HttpMethod.Post, "/v3/payments", payment, ct);

    public Task<JsonElement> PaymentAsync(string paymentId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"/v3/payments/{Uri.EscapeDataString(paymentId)}", null, ct);

    /// <summary>Only before Khipu pays the funds out to the merchant; a later one is refused (4xx).</summary>
    public Task<JsonElement> RefundAsync(string paymentId, long amount, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/v3/payments/{Uri.EscapeDataString(paymentId)}/refunds", new { amount }, ct);

    public Task<JsonElement> BanksAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "/v3/banks", null, ct);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(apiBase, path));
        request.Headers.Add("x-api-key", apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, GatewayJsonOptions.OmitNulls), Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request, ct);
        return await GatewayJson.ReadAsync(response, "Khipu", (status, message) => new KhipuApiException(status, message), ["message"], ct);
    }
}

/// <summary>A clear 4xx from Khipu. <see cref="SpanishMessage"/> is what a payer or a business user reads.</summary>
public sealed class KhipuApiException(HttpStatusCode status, string message) : Exception($"Khipu {(int)status}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string SpanishMessage => Status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "Khipu rechazó la llave de la API: revisa tus credenciales.",
        HttpStatusCode.NotFound => "Khipu no encontró el pago.",
        _ => "Khipu rechazó la operación.",
    };
}
