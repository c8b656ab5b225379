using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Abono.Web.Platform.Email;

/// <summary>Whose email it is: the name and accent colour in the header, an inline logo, and the footer lines.</summary>
/// <param name="Accent">"#rrggbb" that white text reads on (header strip, button); anything else falls back to Abono's.</param>
public sealed record EmailBrand(string Name, string Accent, IReadOnlyList<string> Footer, EmailLogo? Logo = null)
{
    public const string AbonoAccent = "#0b5cad";

    /// <summary>Abono's own emails to the businesses that use it (contracts, invitations).</summary>
    public static EmailBrand Abono { get; } = new("Abono", AbonoAccent, ["Abono · Cobranza y pagos en línea para empresas chilenas"]);
}

/// <summary>An image sent with the email as a related part, shown at <paramref name="Width"/>×<paramref name="Height"/> CSS pixels.</summary>
public sealed record EmailLogo(string ContentId, int Width, int Height);

public sealed record EmailColumn(string Header, bool Numeric = false);

/// <summary>A table row: <paramref name="Cells"/> for the HTML (the first is the row's header), <paramref name="Text"/> for the text alternative.</summary>
public sealed record EmailRow(string Text, IReadOnlyList<string> Cells);

/// <summary>
/// Builds an email's HTML and its plain-text alternative side by side, block by block, so the two always say the
/// same. The HTML is what mail clients can render: tables for layout, inline styles only (no stylesheet survives
/// Gmail or Outlook), a bulletproof button, and every value HTML-encoded here, because customer and portal names
/// are typed by people. Links must be absolute http(s) URLs (built from App:BaseUrl by the callers).
/// </summary>
public sealed partial class EmailLayout
{
    private const string Ink = "#1f2937";
    private const string Muted = "#4b5563";
    private const string Line = "#e5e7eb";
    private const string Font = "Arial,Helvetica,sans-serif";

    // Letters of every script pass through (ñ, á stay readable); markup characters and quotes are always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly EmailBrand _brand;
    private readonly string _title;
    private readonly string _accent;
    private readonly StringBuilder _html = new();
    private readonly List<string> _text = [];

    public EmailLayout(EmailBrand brand, string title)
    {
        _brand = brand;
        _title = title;
        _accent = HexColor().IsMatch(brand.Accent) ? brand.Accent : EmailBrand.AbonoAccent;
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();

    public static string Encode(string value) => Encoder.Encode(value);

    /// <summary>A highlighted note above everything else said (the test-mode warning).</summary>
    public EmailLayout Notice(string text)
    {
        _html.Append($"<p style=\"margin:0 0 16px;padding:10px 12px;background-color:#fef3c7;border:1px solid #f59e0b;border-radius:4px;color:#78350f;font-size:14px;font-weight:bold;\">{Lines(text)}</p>");
        _text.Add(text);
        return this;
    }

    public EmailLayout Paragraph(string text)
    {
        _html.Append($"<p style=\"margin:0 0 16px;font-size:15px;line-height:1.5;\">{Lines(text)}</p>");
        _text.Add(text);
        return this;
    }

    /// <summary>Label and value pairs (Cliente, Fecha, Monto…): a two-column table whose labels are row headers.</summary>
    public EmailLayout Facts(params IEnumerable<(string Label, string Value)> facts)
    {
        var list = facts.ToList();
        _html.Append("<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\" width=\"100%\" style=\"border-collapse:collapse;width:100%;margin:0 0 20px;font-size:14px;\"><tbody>");
        foreach (var (label, value) in list)
        {
            _html.Append($"<tr><th scope=\"row\" style=\"text-align:left;vertical-align:top;font-weight:normal;color:{Muted};padding:6px 12px 6px 0;border-bottom:1px solid {Line};width:40%;\">{Encode(label)}</th>")
                .Append($"<td style=\"text-align:left;vertical-align:top;padding:6px 0;border-bottom:1px solid {Line};font-weight:bold;\">{Lines(value)}</td></tr>");
        }
        _html.Append("</tbody></table>");
        _text.Add(string.Join("\n", list.Select(f => $"{f.Label}: {f.Value}")));
        return this;
    }

    /// <summary>Documents and amounts: a real data table (caption, column and row headers), numbers right-aligned.</summary>
    public EmailLayout Table(string caption, IReadOnlyList<EmailColumn> columns, IEnumerable<EmailRow> rows, EmailRow? total = null)
    {
        var list = rows.ToList();
        _html.Append("<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\" width=\"100%\" style=\"border-collapse:collapse;width:100%;margin:0 0 20px;font-size:14px;\">")
            .Append($"<caption style=\"text-align:left;font-weight:bold;font-size:15px;padding:0 0 8px;color:{Ink};\">{Encode(caption)}</caption><thead><tr>");
        foreach (var column in columns)
        {
            _html.Append($"<th scope=\"col\" style=\"{Align(column)}padding:8px;border-bottom:2px solid {_accent};font-size:13px;color:{Muted};\">{Encode(column.Header)}</th>");
        }
        _html.Append("</tr></thead><tbody>");
        foreach (var row in list)
        {
            AppendRow(columns, row, bold: false);
        }
        _html.Append("</tbody>");
        if (total is not null)
        {
            _html.Append("<tfoot>");
            AppendRow(columns, total, bold: true);
            _html.Append("</tfoot>");
        }
        _html.Append("</table>");
        _text.Add($"{caption}:\n" + string.Join("\n", list.Select(r => $"  · {r.Text}")) + (total is null ? "" : $"\n{total.Text}"));
        return this;
    }

    private void AppendRow(IReadOnlyList<EmailColumn> columns, EmailRow row, bool bold)
    {
        var weight = bold ? "font-weight:bold;" : "font-weight:normal;";
        _html.Append("<tr>");
        for (var i = 0; i < columns.Count; i++)
        {
            var cell = Encode(i < row.Cells.Count ? row.Cells[i] : "");
            var style = $"{Align(columns[i])}{weight}padding:8px;border-bottom:1px solid {Line};vertical-align:top;";
            _html.Append(i == 0 ? $"<th scope=\"row\" style=\"{style}\">{cell}</th>" : $"<td style=\"{style}\">{cell}</td>");
        }
        _html.Append("</tr>");
    }

    private static string Align(EmailColumn column) => column.Numeric ? "text-align:right;white-space:nowrap;" : "text-align:left;";

    /// <summary>A one-time code, big and spaced so it can be read and typed.</summary>
    public EmailLayout Code(string label, string code)
    {
        _html.Append($"<p style=\"margin:0 0 4px;font-size:14px;color:{Muted};\">{Encode(label)}</p>")
            .Append($"<p style=\"margin:0 0 20px;font-family:'Courier New',Courier,monospace;font-size:32px;font-weight:bold;letter-spacing:6px;color:{Ink};\">{Encode(code)}</p>");
        _text.Add($"{label}: {code}");
        return this;
    }

    /// <summary>
    /// The way back (portal, customer link, back office): a button in the accent colour, with the address spelled out
    /// under it for clients that do not show buttons. <paramref name="textLead"/> introduces the link in the text part.
    /// </summary>
    public EmailLayout Button(string label, string url, string? textLead = null)
    {
        var href = Href(url);
        _html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"margin:4px 0 12px;\"><tr>")
            .Append($"<td style=\"background-color:{_accent};border-radius:6px;\">")
            .Append($"<a href=\"{href}\" style=\"display:inline-block;padding:12px 24px;font-family:{Font};font-size:15px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:6px;\">{Encode(label)}</a>")
            .Append("</td></tr></table>")
            .Append($"<p style=\"margin:0 0 20px;font-size:12px;line-height:1.5;color:{Muted};\">Si el botón no funciona, copia este enlace en tu navegador:<br>")
            .Append($"<a href=\"{href}\" style=\"color:{_accent};word-break:break-all;\">{Encode(url)}</a></p>");
        _text.Add($"{textLead ?? label}: {url}");
        return this;
    }

    /// <summary>Small print at the end of the content (the reminders' unsubscribe link).</summary>
    public EmailLayout FinePrint(string text, string? linkLabel = null, string? url = null)
    {
        var link = url is null ? "" : $" <a href=\"{Href(url)}\" style=\"color:{Muted};\">{Encode(linkLabel ?? url)}</a>";
        _html.Append($"<p style=\"margin:0 0 12px;font-size:12px;line-height:1.5;color:{Muted};\">{Lines(text)}{link}</p>");
        _text.Add(url is null ? text : linkLabel is null ? $"{text} {url}" : $"{text} {linkLabel}: {url}");
        return this;
    }

    public string Html
    {
        get
        {
            var title = Encode(_title);
            var name = Encode(_brand.Name);
            var header = _brand.Logo is { } logo
                ? $"<img src=\"cid:{Encode(logo.ContentId)}\" width=\"{logo.Width}\" height=\"{logo.Height}\" alt=\"{name}\" style=\"display:block;border:0;outline:none;width:{logo.Width}px;height:{logo.Height}px;max-width:100%;font-size:18px;font-weight:bold;color:{Ink};\">"
                : $"<span style=\"font-size:20px;font-weight:bold;color:{Ink};\">{name}</span>";
            var footer = string.Join("<br>", _brand.Footer.Select(Encode));
            return "<!DOCTYPE html>" +
                "<html lang=\"es-CL\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                $"<meta name=\"color-scheme\" content=\"light\"><title>{title}</title></head>" +
                $"<body style=\"margin:0;padding:0;background-color:#f3f4f6;\">" +
                "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"background-color:#f3f4f6;\"><tr><td align=\"center\" style=\"padding:24px 12px;\">" +
                $"<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;max-width:600px;background-color:#ffffff;border:1px solid {Line};border-radius:8px;font-family:{Font};color:{Ink};\">" +
                $"<tr><td style=\"padding:20px 24px 16px;border-bottom:4px solid {_accent};\">{header}</td></tr>" +
                $"<tr><td style=\"padding:24px 24px 8px;\"><h1 style=\"margin:0 0 16px;font-size:22px;line-height:1.3;color:{Ink};\">{title}</h1>{_html}</td></tr>" +
                $"<tr><td style=\"padding:16px 24px 20px;background-color:#f9fafb;border-top:1px solid {Line};border-radius:0 0 8px 8px;font-size:12px;line-height:1.6;color:{Muted};\">{footer}</td></tr>" +
                "</table></td></tr></table></body></html>";
        }
    }

    public string Text => $"{_title}\n\n{string.Join("\n\n", _text)}\n\n--\n{string.Join("\n", _brand.Footer)}\n";

    private static string Lines(string text) => string.Join("<br>", text.Split('\n').Select(Encode));

    private static string Href(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Email links must be absolute http(s) URLs: '{url}'.", nameof(url));
        }
        return Encode(url);
    }
}
