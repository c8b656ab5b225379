using System.Globalization;
using System.Text;

namespace Abono.Web.Platform.Chile;

/// <summary>
/// Text as searches compare it: lower case, without accents (á → a, ñ → n, ü → u), one space between words. Stored
/// beside a name (Customer.SearchName) and applied to the typed term, so "almacen" finds "Almacén" and "dona rosa"
/// finds "Doña Rosa" with the same results on SQLite and PostgreSQL — no collation or extension involved.
/// </summary>
public static class SearchText
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                space = result.Length > 0;
                continue;
            }
            if (space)
            {
                result.Append(' ');
                space = false;
            }
            result.Append(c);
        }
        return result.ToString().Normalize(NormalizationForm.FormC);
    }
}
