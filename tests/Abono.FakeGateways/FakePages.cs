using System.Net;
using System.Text;

namespace Abono.FakeGateways;

/// <summary>Minimal HTML for the providers' hosted pages; forms that go back to the merchant submit themselves like the real ones.</summary>
internal static class FakePages
{
    public static string Page(string title, string body) => $$"""
        <!doctype html>
        <html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}}</title>
        <style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#111}button{font-size:1rem;padding:.6rem 1rem;margin:.3rem 0;width:100%}label{display:block;margin:.5rem 0}input,select{font-size:1rem;width:100%;padding:.4rem}</style>
        </head><body><main>{{body}}</main></body></html>
        """;

    /// <summary>A form posting <paramref name="fields"/> to <paramref name="action"/> at once (what Webpay does for aborts).</summary>
    public static string AutoPost(string action, IEnumerable<(string Name, string Value)> fields)
    {
        var inputs = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            inputs.Append($"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">");
        }
        return Page("Redirigiendo", $"""
            <form id="back" method="post" action="{E(action)}">{inputs}<button type="submit">Volver al comercio</button></form>
            <script>document.getElementById('back').submit();</script>
            """);
    }

    public static string E(string value) => WebUtility.HtmlEncode(value);
}
