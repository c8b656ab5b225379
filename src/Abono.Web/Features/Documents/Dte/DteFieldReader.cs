using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Abono.Web.Platform.Chile;

namespace Abono.Web.Features.Documents.Dte;

/// <summary>
/// Reads typed values from an SII element and records, in Spanish, what is missing or malformed. <c>what</c> is the
/// field as people say it, with its article ("la fecha de emisión"); the SII's element name follows in parentheses
/// so a technician can find it in the XML.
/// </summary>
internal sealed class DteFieldReader(string label, XElement root, List<DteIssue> issues)
{
    // FechaType in SiiTypes_v10.xsd: the SII takes no document dated outside these years.
    private static readonly DateOnly FirstDate = new(2000, 1, 1);
    private static readonly DateOnly LastDate = new(2050, 12, 31);

    public string Label => label;

    /// <summary>False once a value could not be read: sums over it would mislead.</summary>
    public bool AllAmountsRead { get; private set; } = true;

    public string? Text(XElement? parent, string name, string what, bool required = false)
    {
        var value = parent.Text(name);
        if (value is null && required)
        {
            Missing(parent, name, what);
        }
        return value;
    }

    public void Missing(XElement? parent, string name, string what) =>
        issues.Add(DteIssue.Error(DteIssueCodes.MissingField, $"{label}: falta {what} ({name}).", PathOf(parent, name), parent?.Line()));

    public long? Amount(XElement? parent, string name, string what, bool required = false)
    {
        var text = Text(parent, name, what, required);
        if (text is null)
        {
            return null;
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            return amount;
        }
        AllAmountsRead = false;
        Invalid(parent, name, $"{label}: {what} ({name}) «{text}» no es un monto válido en pesos (un número entero, sin decimales ni signo).");
        return null;
    }

    public int? Integer(XElement? parent, string name, string what, bool required = false, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Text(parent, name, what, required);
        if (text is null)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        Invalid(parent, name, $"{label}: {what} ({name}) «{text}» no es un valor válido.");
        return null;
    }

    public decimal? Decimal(XElement? parent, string name, string what)
    {
        var text = Text(parent, name, what);
        if (text is null)
        {
            return null;
        }
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        Invalid(parent, name, $"{label}: {what} ({name}) «{text}» no es un número válido (use punto decimal).");
        return null;
    }

    public DateOnly? Date(XElement? parent, string name, string what, bool required = false)
    {
        var text = Text(parent, name, what, required);
        if (text is null)
        {
            return null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Invalid(parent, name, $"{label}: {what} ({name}) «{text}» no es una fecha válida (AAAA-MM-DD).", DteIssueCodes.InvalidDate);
            return null;
        }
        if (date < FirstDate || date > LastDate)
        {
            Invalid(parent, name, $"{label}: {what} ({name}) {ChileFormats.Date(date)} está fuera de las fechas que acepta el SII (2000 a 2050).", DteIssueCodes.InvalidDate);
            return null;
        }
        return date;
    }

    public DateTime? Timestamp(XElement? parent, string name, string what)
    {
        var text = Text(parent, name, what);
        if (text is null)
        {
            return null;
        }
        try
        {
            return XmlConvert.ToDateTime(text, XmlDateTimeSerializationMode.Unspecified);
        }
        catch (FormatException)
        {
            Invalid(parent, name, $"{label}: {what} ({name}) «{text}» no es una fecha y hora válida (AAAA-MM-DDTHH:MM:SS).", DteIssueCodes.InvalidDate);
            return null;
        }
    }

    public (string? Text, Rut? Rut) Rut(XElement? parent, string name, string what, bool required = false)
    {
        var text = Text(parent, name, what, required);
        if (text is null)
        {
            return (null, null);
        }
        if (Platform.Chile.Rut.TryParse(text, out var rut))
        {
            return (text, rut);
        }
        var problem = LooksLikeRut(text) ? "tiene el dígito verificador incorrecto" : "no es un RUT válido";
        Invalid(parent, name, $"{label}: {what} ({name}) «{text}» {problem}.", DteIssueCodes.InvalidRut);
        return (text, null);
    }

    // Digits, a dash and a check digit: then only the check digit can be wrong.
    private static bool LooksLikeRut(string text)
    {
        var compact = text.Replace(".", "");
        var dash = compact.IndexOf('-');
        return dash > 0 && dash == compact.Length - 2 && compact[..dash].All(char.IsAsciiDigit) && compact[..dash].Any(c => c != '0')
            && (char.IsAsciiDigit(compact[^1]) || compact[^1] is 'k' or 'K') && dash <= 8;
    }

    public void Invalid(XElement? parent, string name, string message, string code = DteIssueCodes.InvalidValue)
    {
        var element = parent.Child(name);
        issues.Add(DteIssue.Error(code, message, PathOf(parent, name), (element ?? parent)?.Line()));
    }

    private string PathOf(XElement? parent, string name) => parent is null ? name : $"{parent.PathFrom(root)}/{name}".TrimStart('/');
}
