namespace Abono.Web.Platform.Web;

/// <summary>
/// Our own public address, from configuration (<c>App:BaseUrl</c>) only. Every URL we hand to a provider (return,
/// webhook) or put in an email is built from it, never from the request's Host or X-Forwarded-* headers: a forged
/// header must not be able to point a status check, a redirect or a link at someone else's server.
/// </summary>
public sealed class AppUrls
{
    public const string ConfigurationKey = "App:BaseUrl";

    public AppUrls(Microsoft.Extensions.Options.IOptions<AppOptions> options)
    {
        var configured = options.Value.BaseUrl;
        if (!TryParse(configured, out var baseUrl))
        {
            throw new InvalidOperationException(InvalidMessage(configured));
        }
        BaseUrl = baseUrl;
    }

    public static string InvalidMessage(string? configured) =>
        $"{ConfigurationKey} must be an absolute http(s) URL such as https://pagos.example.cl (it is '{configured}').";

    /// <summary>Always ends in "/", so relative paths resolve under it.</summary>
    public Uri BaseUrl { get; }

    public string Absolute(string path) => new Uri(BaseUrl, path.TrimStart('/')).ToString();

    public static bool TryParse(string? value, out Uri baseUrl)
    {
        baseUrl = null!;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var parsed)
            || parsed.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment)
            || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return false;
        }
        baseUrl = parsed;
        return true;
    }
}
