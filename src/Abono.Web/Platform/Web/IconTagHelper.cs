using System.Collections.Frozen;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Abono.Web.Platform.Web;

/// <summary>
/// The icons the app ships: symbols of wwwroot/icons/sprite.svg (Lucide, ISC; rebuilt by scripts/build-icon-sprite.py).
/// Pages never use emoji as icons: they look different on every system, and screen readers read their names aloud.
/// </summary>
public static class Icons
{
    public const string SpritePath = "/icons/sprite.svg";

    public static readonly FrozenSet<string> Names = new[]
    {
        "alarm-clock", "arrow-left", "banknote", "chart-column", "check", "chevron-left", "chevron-right", "credit-card", "download",
        "file-text", "file-up", "house", "key-round", "link", "log-out", "package", "pencil", "settings", "shopping-cart", "users",
        "webhook",
    }.ToFrozenSet(StringComparer.Ordinal);
}

/// <summary>
/// <c>&lt;icon name="settings" /&gt;</c> → <c>&lt;svg class="icon" aria-hidden="true" focusable="false"&gt;&lt;use href="/icons/sprite.svg?v=…#settings"/&gt;&lt;/svg&gt;</c>.
/// Icons are decoration: the link or button around one carries the words (visible text or aria-label). An icon that
/// stands alone and means something gets <c>label</c>, and is then announced as an image with that name.
/// </summary>
[HtmlTargetElement("icon", TagStructure = TagStructure.WithoutEndTag)]
public sealed class IconTagHelper(IFileVersionProvider versions) : TagHelper
{
    public string Name { get; set; } = "";

    /// <summary>Extra classes besides <c>icon</c>.</summary>
    public string? Class { get; set; }

    /// <summary>Only for an icon that is the sole bearer of a meaning; leave empty when text says it.</summary>
    public string? Label { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (!Icons.Names.Contains(Name))
        {
            throw new InvalidOperationException($"There is no icon \"{Name}\" in {Icons.SpritePath}; the icons are: {string.Join(", ", Icons.Names.Order())}.");
        }
        var pathBase = ViewContext.HttpContext.Request.PathBase;
        var sprite = versions.AddFileVersionToPath(pathBase, pathBase.Add(Icons.SpritePath).Value!);

        output.TagName = "svg";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", string.IsNullOrWhiteSpace(Class) ? "icon" : $"icon {Class.Trim()}");
        if (string.IsNullOrWhiteSpace(Label))
        {
            output.Attributes.SetAttribute("aria-hidden", "true");
        }
        else
        {
            output.Attributes.SetAttribute("role", "img");
            output.Attributes.SetAttribute("aria-label", Label);
        }
        output.Attributes.SetAttribute("focusable", "false");
        output.Content.SetHtmlContent($"<use href=\"{HtmlEncoder.Default.Encode(sprite)}#{Name}\"></use>");
    }
}
