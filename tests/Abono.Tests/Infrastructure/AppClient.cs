using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Abono.Tests.Infrastructure;

/// <summary>
/// Drives the server-rendered pages the way a browser without JavaScript would: GET a page, fill its
/// form (antiforgery token included), press a button, follow the redirect.
/// </summary>
public sealed class AppClient(HttpClient http) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Http => http;

    public async Task<Page> GetAsync(string url)
    {
        var response = await http.GetAsync(url);
        return await Page.ReadAsync(response, url);
    }

    /// <summary>Follows redirects (GET) until a page answers.</summary>
    public async Task<Page> FollowAsync(HttpResponseMessage response, string url)
    {
        for (var hops = 0; hops < 5 && response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther; hops++)
        {
            url = response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.PathAndQuery : response.Headers.Location.OriginalString;
            response = await http.GetAsync(url);
        }
        return await Page.ReadAsync(response, url);
    }

    /// <summary>
    /// Submits the form that contains <paramref name="button"/> (a CSS selector; default: the form's first
    /// non-hidden submit button), with the page's current values overridden by <paramref name="values"/>.
    /// </summary>
    public async Task<Page> SubmitAsync(Page page, IDictionary<string, string?> values, string? button = null, string? form = null)
    {
        var response = await PostFormAsync(page, values, button, form);
        return await FollowAsync(response, page.Url);
    }

    public async Task<HttpResponseMessage> PostFormAsync(Page page, IDictionary<string, string?> values, string? button = null, string? form = null)
    {
        var (action, fields) = page.FormFields(values, button, form);
        return await http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>GET the page then submit its form in one step.</summary>
    public async Task<Page> FillAsync(string url, IDictionary<string, string?> values, string? button = null, string? form = null) =>
        await SubmitAsync(await GetAsync(url), values, button, form);

    /// <summary>POSTs arbitrary fields (with a valid antiforgery token) to any URL: for forged and fuzzed requests.</summary>
    public async Task<HttpResponseMessage> PostRawAsync(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var tokenPage = await GetAsync("/ingresar");
        var token = tokenPage.Document.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value")
            ?? throw new InvalidOperationException("No antiforgery token on /ingresar.");
        var all = fields.Where(f => f.Key != "__RequestVerificationToken").Append(new("__RequestVerificationToken", token));
        return await http.PostAsync(url, new FormUrlEncodedContent(all));
    }

    public void Dispose() => http.Dispose();

    public sealed class Page
    {
        private Page(HttpStatusCode status, string url, IHtmlDocument document, string html)
        {
            Status = status;
            Url = url;
            Document = document;
            Html = html;
        }

        public HttpStatusCode Status { get; }
        public string Url { get; }
        public IHtmlDocument Document { get; }
        public string Html { get; }

        public string Text => Document.Body?.TextContent ?? "";

        public static async Task<Page> ReadAsync(HttpResponseMessage response, string url)
        {
            var html = await response.Content.ReadAsStringAsync();
            return new Page(response.StatusCode, url, Parser.ParseDocument(html), html);
        }

        /// <summary>The error text shown next to a field (by the input's name), or null.</summary>
        public string? FieldError(string name) =>
            Document.QuerySelector($"[data-valmsg-for='{name}']")?.TextContent.Trim() is { Length: > 0 } text ? text : null;

        public string? Value(string name) => (Document.QuerySelector($"[name='{name}']") as IHtmlInputElement)?.Value;

        public (string Action, List<KeyValuePair<string, string>> Fields) FormFields(IDictionary<string, string?> values, string? button, string? formSelector)
        {
            IHtmlFormElement formElement;
            IHtmlButtonElement? submitter = null;
            if (button is not null)
            {
                var root = formSelector is null ? (IParentNode)Document : Document.QuerySelector(formSelector)!;
                submitter = root.QuerySelector(button) as IHtmlButtonElement
                    ?? throw new InvalidOperationException($"No button '{button}' on {Url}.");
                formElement = submitter.Form ?? throw new InvalidOperationException("Button outside a form.");
            }
            else
            {
                formElement = (formSelector is null ? Document.QuerySelector("main form[method='post']") : Document.QuerySelector(formSelector)) as IHtmlFormElement
                    ?? throw new InvalidOperationException($"No form on {Url} (status {(int)Status}).");
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (var element in formElement.Elements)
            {
                switch (element)
                {
                    case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                        if (input.Type is "checkbox" or "radio" ? input.IsChecked : input.Type is not ("submit" or "button"))
                        {
                            fields.Add(new(input.Name, input.Value));
                        }
                        break;
                    case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                        var selected = select.Options.FirstOrDefault(o => o.IsSelected) ?? select.Options.FirstOrDefault();
                        if (selected is not null)
                        {
                            fields.Add(new(select.Name, selected.Value));
                        }
                        break;
                    case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                        fields.Add(new(area.Name, area.Value));
                        break;
                }
            }
            foreach (var (name, value) in values)
            {
                // Replaces every field of that name (a checkbox's hidden "false" too); null leaves it out.
                fields.RemoveAll(f => f.Key == name);
                if (value is not null)
                {
                    fields.Add(new(name, value));
                }
            }

            var action = submitter?.GetAttribute("formaction") is { Length: > 0 } formAction
                ? formAction
                : formElement.GetAttribute("action") is { Length: > 0 } formActionAttr ? formActionAttr : Url;
            if (submitter is not null && !string.IsNullOrEmpty(submitter.Name))
            {
                fields.Add(new(submitter.Name, submitter.Value));
            }
            return (action, fields);
        }
    }
}
