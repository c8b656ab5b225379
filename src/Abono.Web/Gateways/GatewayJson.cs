using System.Net;
using System.Text.Json;

namespace Abono.Web.Gateways;

/// <summary>
/// How our own provider clients read an answer: 2xx JSON (empty = {}), 5xx/429 or unreadable JSON = no clear answer
/// (HttpRequestException, so callers keep the outcome Unknown), any other 4xx = the provider's clear "no", raised
/// with the message its error body carries.
/// </summary>
public static class GatewayJson
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string provider, Func<HttpStatusCode, string, Exception> refused,
        string[] messageFields, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return string.IsNullOrWhiteSpace(text) ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException ex)
            {
                // A 2xx we cannot read says nothing about what happened: ambiguous, like a timeout.
                throw new HttpRequestException($"{provider} answered a body that is not JSON.", ex);
            }
        }
        var message = ErrorMessage(text, messageFields);
        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new HttpRequestException($"{provider} answered {(int)response.StatusCode}: {message}", null, response.StatusCode);
        }
        throw refused(response.StatusCode, message);
    }

    /// <summary>The first of <paramref name="fields"/> that the JSON error body has as a string; else the body's start.</summary>
    private static string ErrorMessage(string body, string[] fields)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            foreach (var field in fields)
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }
        return body.Length > 200 ? body[..200] : body;
    }

    /// <summary>CLP amounts are whole; SDKs may write 1900.0. A fractional amount is not an amount we issued.</summary>
    public static long? WholeAmount(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDecimal(out var amount) && amount == decimal.Truncate(amount) && amount is >= 0 and <= long.MaxValue
            ? (long)amount : null;
}
