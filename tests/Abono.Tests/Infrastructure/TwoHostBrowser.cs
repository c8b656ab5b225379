using System.Net;

namespace Abono.Tests.Infrastructure;

/// <summary>
/// A payer's browser across two sites: Abono (in memory) and a gateway's hosted pages (the fakes, over HTTP). Follows
/// redirects from one to the other and submits the self-posting forms both sides use (our token_ws form, Webpay's
/// abort/timeout returns), as a browser with JavaScript would.
/// </summary>
public sealed class TwoHostBrowser(AppClient app, Uri gatewayBase)
{
    private readonly HttpClient _gateway = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    public AppClient App => app;

    /// <summary>The URLs the browser went through, in order (to assert where the payer landed).</summary>
    public List<string> History { get; } = [];

    public async Task<AppClient.Page> FollowAsync(HttpResponseMessage response, string url)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.RedirectMethod)
            {
                var location = response.Headers.Location!;
                url = location.IsAbsoluteUri ? location.ToString() : location.OriginalString;
                response = await SendAsync(HttpMethod.Get, url, null);
                continue;
            }
            var page = await AppClient.Page.ReadAsync(response, url);
            if (page.Document.QuerySelector("form[data-autosubmit], form#back") is AngleSharp.Html.Dom.IHtmlFormElement form)
            {
                var (action, fields) = page.FormFields(new Dictionary<string, string?>(), null, form.HasAttribute("data-autosubmit") ? "form[data-autosubmit]" : "form#back");
                url = action;
                response = await SendAsync(HttpMethod.Post, action, fields);
                continue;
            }
            return page;
        }
        throw new InvalidOperationException("Too many hops.");
    }

    /// <summary>Presses a button on the current page (on either site) and follows wherever it leads.</summary>
    public async Task<AppClient.Page> SubmitAsync(AppClient.Page page, string button, IDictionary<string, string?>? values = null)
    {
        var (action, fields) = page.FormFields(values ?? new Dictionary<string, string?>(), button, null);
        var target = Resolve(page.Url, action);
        return await FollowAsync(await SendAsync(HttpMethod.Post, target, fields), target);
    }

    public async Task<AppClient.Page> GetAsync(string url) => await FollowAsync(await SendAsync(HttpMethod.Get, url, null), url);

    public bool IsGateway(string url) => IsAbsolute(url) && new Uri(url).Authority == gatewayBase.Authority;

    // Not Uri.TryCreate(..., Absolute): on Unix "/path" parses as an absolute file:// URI.
    private static bool IsAbsolute(string url) => url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, List<KeyValuePair<string, string>>? fields)
    {
        History.Add(url);
        var content = fields is null ? null : new FormUrlEncodedContent(fields);
        if (IsGateway(url))
        {
            return await _gateway.SendAsync(new HttpRequestMessage(method, url) { Content = content });
        }
        var path = IsAbsolute(url) ? new Uri(url).PathAndQuery : url;
        return await app.Http.SendAsync(new HttpRequestMessage(method, path) { Content = content });
    }

    private string Resolve(string pageUrl, string action) =>
        IsAbsolute(action) ? action
        : IsGateway(pageUrl) ? new Uri(new Uri(pageUrl), action).ToString() : action;
}
