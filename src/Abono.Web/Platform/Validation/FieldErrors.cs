using System.Net.Mail;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Abono.Web.Platform.Validation;

/// <summary>Business-rule failures keyed by field name, shown next to the field or returned as ProblemDetails.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public IReadOnlyDictionary<string, List<string>> All => _errors;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        if (!list.Contains(message))
        {
            list.Add(message);
        }
        return this;
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public void CopyTo(ModelStateDictionary modelState, string prefix = "")
    {
        foreach (var (field, messages) in _errors)
        {
            var key = field.Length == 0 ? string.Empty : prefix.Length == 0 ? field : $"{prefix}.{field}";
            foreach (var message in messages)
            {
                modelState.AddModelError(key, message);
            }
        }
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}

public static class Rules
{
    public const int MaxEmailLength = 254;

    /// <summary>A plain address (no display name) with a dotted domain: what a receipt can be sent to.</summary>
    public static bool IsValidEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxEmailLength || value.Trim() != value)
        {
            return false;
        }
        if (!MailAddress.TryCreate(value, out var address) || address.Address != value || address.DisplayName.Length > 0)
        {
            return false;
        }
        var host = address.Host;
        return host.Contains('.') && !host.StartsWith('.') && !host.EndsWith('.') && !value.Any(char.IsWhiteSpace);
    }

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
