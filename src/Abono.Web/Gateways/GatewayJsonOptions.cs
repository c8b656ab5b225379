using System.Text.Json;
using System.Text.Json.Serialization;

namespace Abono.Web.Gateways;

/// <summary>Request bodies leave optional fields out instead of sending null (providers may refuse an explicit null).</summary>
public static class GatewayJsonOptions
{
    public static readonly JsonSerializerOptions OmitNulls = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>A string property of a JSON object; null when absent, not a string, or the value is not an object at all.</summary>
    public static string? Text(this JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A nested object property; default (Undefined) when absent or not an object.</summary>
    public static JsonElement Child(this JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;
}
