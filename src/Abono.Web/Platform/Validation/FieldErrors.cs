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

    /// <summary>
    /// Adds <see cref="Rules.ControlCharactersMessage"/> for <paramref name="field"/> when <paramref name="value"/> holds a
    /// control character; true if it did.
    /// </summary>
    public bool RefuseControlCharacters(string field, string? value)
    {
        if (!Rules.HasControlCharacters(value))
        {
            return false;
        }
        Add(field, Rules.ControlCharactersMessage);
        return true;
    }

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
        // Control characters never belong in an address (and a CR/LF in one could start a header of its own).
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxEmailLength || value.Trim() != value || HasControlCharacters(value))
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

    public const string ControlCharactersMessage = "No puede contener caracteres de control (tabulaciones, saltos de línea ni otros caracteres invisibles).";

    /// <summary>
    /// Whether a value holds a C0 or C1 control character (U+0000–U+001F, U+007F–U+009F). None belongs in a name,
    /// description or address: they are invisible on screen, break CSV/PDF/email output (a CR/LF can start an email
    /// header or a CSV record, a tab or CR can start a spreadsheet formula), and PostgreSQL refuses NUL. Leading and
    /// trailing tabs and line breaks (a paste) are trimmed by <see cref="Clean"/>; any other is refused, not silently
    /// stripped, so what is stored is what the person saw. No form has a multi-line field today; one that
    /// does would allow CR and LF there.
    /// </summary>
    public static bool HasControlCharacters(string? value) => value is not null && value.Any(char.IsControl);
}
