using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Abono.Web.Gateways.Flow;

/// <summary>
/// Flow's REST API v1: every call carries apiKey and is signed (s, see <see cref="FlowSignature"/>); POSTs are
/// form-encoded, GETs take the same parameters in the query string. Answers are JSON.
/// </summary>
public sealed class FlowClient(HttpClient http, Uri apiBase, string apiKey, string secretKey)
{
    public const string DefaultBase = "https://www.flow.cl/api";
    public const string SandboxBase = "https://sandbox.flow.cl/api";

    public Task<JsonElement> CreatePaymentAsync(Dictionary<string, string> parameters, CancellationToken ct) => PostAsync("/payment/create", parameters, ct);

    public Task<JsonElement> StatusAsync(string token, CancellationToken ct) => GetAsync("/payment/getStatus", new() { ["token"] = token }, ct);

    public Task<JsonElement> StatusByCommerceIdAsync(string commerceId, CancellationToken ct) =>
        GetAsync("/payment/getStatusByCommerceId", new() { ["commerceId"] = commerceId }, ct);

    public Task<JsonElement> RefundAsync(Dictionary<string, string> parameters, CancellationToken ct) => PostAsync("/refund/create", parameters, ct);

    private async Task<JsonElement> PostAsync(string path, Dictionary<string, string> parameters, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = new FormUrlEncodedContent(Signed(parameters)) };
        return await SendAsync(request, ct);
    }

    private async Task<JsonElement> GetAsync(string path, Dictionary<string, string> parameters, CancellationToken ct)
    {
        var query = string.Join("&", Signed(parameters).Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path) + "?" + query);
        return await SendAsync(request, ct);
    }

    private Dictionary<string, string> Signed(Dictionary<string, string> parameters)
    {
        var all = new Dictionary<string, string>(parameters) { ["apiKey"] = apiKey };
        all["s"] = FlowSignature.Sign(secretKey, all);
        return all;
    }

    // The base carries a path (/api): append to it rather than resolve against it.
    private string Url(string path) => apiBase.ToString().TrimEnd('/') + path;

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct);
        return await GatewayJson.ReadAsync(response, "Flow", (status, message) => new FlowApiException(status, message), ["message"], ct);
    }
}

/// <summary>A clear 4xx from Flow ({code, message} [UNVERIFIED shape]). <see cref="SpanishMessage"/> is what a person reads.</summary>
public sealed class FlowApiException(HttpStatusCode status, string message) : Exception($"Flow {(int)status}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string SpanishMessage => Status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "Flow rechazó las credenciales: revisa la apiKey y la secretKey.",
        HttpStatusCode.NotFound => "Flow no encontró el pago.",
        _ => "Flow rechazó la operación.",
    };
}
