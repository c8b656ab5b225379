using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Abono.Web.Features.PaymentMethods;

/// <summary>
/// Encrypts a method's secrets with Data Protection (the key ring lives in the database) before they are stored,
/// and keeps a masked copy for display. Decrypted values exist only in memory for the gateway call that needs them.
/// </summary>
public sealed class PaymentMethodSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Abono.PaymentMethods.Secrets.v1");

    public void Store(PaymentMethod method, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets)
    {
        method.SettingsJson = JsonSerializer.Serialize(settings);
        method.SecretsProtected = secrets.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(secrets));
        method.SecretsMaskJson = JsonSerializer.Serialize(secrets.ToDictionary(s => s.Key, s => GatewayForms.Mask(s.Value)));
    }

    public Dictionary<string, string> Settings(PaymentMethod method) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(method.SettingsJson) ?? [];

    public Dictionary<string, string> Secrets(PaymentMethod method) =>
        method.SecretsProtected is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(method.SecretsProtected)) ?? [];

    public Dictionary<string, string> Masks(PaymentMethod method) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(method.SecretsMaskJson) ?? [];
}
