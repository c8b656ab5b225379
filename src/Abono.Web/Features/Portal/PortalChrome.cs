using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Abono.Web.Features.Portal;

/// <summary>
/// What the payer's layout slice (Slices/_PortalLayout.cshtml) writes around a page: the title, the business's brand,
/// the sign-out form and the versioned asset URLs, as the Razor layout's tag helpers would write them.
/// </summary>
public sealed record PortalChrome(string Title, PortalBrand? Brand, string? SignOutUrl, HtmlString Antiforgery, string Bootstrap, string SiteCss, string SiteJs, string Sprite)
{
    public static PortalChrome For(PortalPageModel page, string title, string? signOutUrl)
    {
        var http = page.HttpContext;
        // What Html.AntiForgeryToken() does: one token per request, its cookie and headers set now (a slice starts
        // the response before it renders, so nothing can be added to the headers later).
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var versions = http.RequestServices.GetRequiredService<IFileVersionProvider>();
        var pathBase = http.Request.PathBase;
        string Versioned(string path) => versions.AddFileVersionToPath(pathBase, pathBase.Add(path).Value!);
        return new(title, page.Brand, signOutUrl,
            new HtmlString($"<input name=\"{tokens.FormFieldName}\" type=\"hidden\" value=\"{tokens.RequestToken}\" />"),
            pathBase.Add("/lib/bootstrap/dist/css/bootstrap.min.css").Value!, Versioned("/css/site.css"), Versioned("/js/site.js"), Versioned(Icons.SpritePath));
    }
}
