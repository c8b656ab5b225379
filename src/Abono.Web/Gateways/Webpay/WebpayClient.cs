using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Abono.Web.Gateways.Webpay;

/// <summary>
/// Transbank's Webpay Plus REST API v1.2, on a plain HttpClient: the two Tbk-Api-Key headers, JSON in and out, and
/// JSON error bodies ({"error_message": ...}) surfaced as <see cref="WebpayApiException"/>.
/// </summary>
public sealed class WebpayClient(HttpClient http, Uri apiBase, string commerceCode, string apiKeySecret)
{
    public const string PathPrefix = "/rswebpaytransaction/api/webpay/v1.2";
    public const string IntegrationHost = "https://webpay3gint.transbank.cl";
    public const string ProductionHost = "https://webpay3g.transbank.cl";

    public Task<JsonElement> CreateAsync(string buyOrder, string sessionId, long amount, string returnUrl, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/transactions", new { buy_order = buyOrder, session_id = sessionId, amount, return_url = returnUrl }, ct);

    public Task<JsonElement> CommitAsync(string token, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"/transactions/{Uri.EscapeDataString(token)}", new { }, ct);

    public Task<JsonElement> StatusAsync(string token, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"/transactions/{Uri.EscapeDataString(token)}", null, ct);

    public Task<JsonElement> RefundAsync(string token, long amount, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/transactions/{Uri.EscapeDataString(token)}/refunds", new { amount }, ct);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(apiBase, PathPrefix + path));
        request.Headers.Add("Tbk-Api-Key-Id", commerceCode);
        request.Headers.Add("Tbk-Api-Key-Secret", apiKeySecret);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request, ct);
        return await GatewayJson.ReadAsync(response, "Webpay", (status, message) => new WebpayApiException(status, message), ["error_message", "description"], ct);
    }
}

/// <summary>A 4xx from Webpay, with its error_message. <see cref="SpanishMessage"/> is what a payer or a business user reads.</summary>
public sealed class WebpayApiException(HttpStatusCode status, string errorMessage) : Exception($"Webpay {(int)status}: {errorMessage}")
{
    public HttpStatusCode Status { get; } = status;
    public string ErrorMessage { get; } = errorMessage;

    public string SpanishMessage => Status switch
    {
        HttpStatusCode.Unauthorized => "Transbank rechazó las credenciales: revisa el código de comercio y la API Key secret.",
        HttpStatusCode.NotFound => "Webpay no encontró la transacción.",
        _ when ErrorMessage.Contains("aborted", StringComparison.OrdinalIgnoreCase) || ErrorMessage.Contains("Invalid status", StringComparison.OrdinalIgnoreCase) =>
            "La transacción fue anulada o expiró en Webpay; no se realizó ningún cargo.",
        _ when ErrorMessage.Contains("token", StringComparison.OrdinalIgnoreCase) => "El token de la transacción de Webpay no es válido.",
        _ when ErrorMessage.Contains("amount", StringComparison.OrdinalIgnoreCase) => "Webpay no aceptó el monto.",
        _ => "Webpay rechazó la operación.",
    };
}
