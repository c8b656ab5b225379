namespace Abono.Web.Platform.Web;

/// <summary>Configuration section "App". Read through <see cref="AppUrls"/>; validated when the app starts.</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>This deployment's public address (App:BaseUrl): every return URL, webhook URL and emailed link is built from it.</summary>
    public string BaseUrl { get; set; } = "";
}
