using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Abono.Tests.Platform;

/// <summary>
/// Icons are symbols of the sprite the app ships (wwwroot/icons/sprite.svg), drawn through &lt;icon name="…" /&gt;;
/// no page, layout, partial, script or email source uses an emoji as an icon.
/// </summary>
public partial class IconTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public void An_icon_is_a_hidden_svg_using_its_symbol_of_the_versioned_sprite_under_the_path_base()
    {
        var html = Render(new IconTagHelper(new StampingVersions()) { Name = "settings", Class = "icon-lg", ViewContext = ViewAt("/abono") });

        Assert.Equal("<svg class=\"icon icon-lg\" aria-hidden=\"true\" focusable=\"false\"><use href=\"/abono/icons/sprite.svg?v=stamp#settings\"></use></svg>", html);
    }

    [Fact]
    public void An_icon_with_a_label_is_announced_as_an_image_with_that_name()
    {
        var html = Render(new IconTagHelper(new StampingVersions()) { Name = "check", Label = "Hecho", ViewContext = ViewAt("") });

        Assert.Contains("role=\"img\" aria-label=\"Hecho\"", html);
        Assert.DoesNotContain("aria-hidden", html);
        Assert.Contains("href=\"/icons/sprite.svg?v=stamp#check\"", html);
    }

    [Fact]
    public void An_icon_that_is_not_in_the_sprite_fails_loudly_instead_of_drawing_nothing()
    {
        var helper = new IconTagHelper(new StampingVersions()) { Name = "emoji-smile", ViewContext = ViewAt("") };

        var error = Assert.Throws<InvalidOperationException>(() => Render(helper));
        Assert.Contains("emoji-smile", error.Message);
    }

    [Fact]
    public async Task The_sprite_the_app_serves_has_a_symbol_for_every_icon_name_and_nothing_else()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync(Icons.SpritePath);

        response.EnsureSuccessStatusCode();
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var sprite = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace svg = "http://www.w3.org/2000/svg";
        var ids = sprite.Descendants(svg + "symbol").Select(s => (string?)s.Attribute("id")).ToHashSet();
        Assert.Equal(Icons.Names.Order(), ids.Order());
        Assert.All(sprite.Descendants(svg + "symbol"), s => Assert.Equal("currentColor", (string?)s.Attribute("stroke")));
    }

    [Fact]
    public void Every_icon_a_page_names_is_in_the_sprite()
    {
        // A page nobody opens in the tests would otherwise fail only when someone does.
        var named = SourceFiles("*.cshtml").SelectMany(f => IconName().Matches(File.ReadAllText(f)).Select(m => (File: f, Name: m.Groups[1].Value))).ToList();

        Assert.NotEmpty(named);
        Assert.All(named, n => Assert.True(Icons.Names.Contains(n.Name), $"{n.File} uses <icon name=\"{n.Name}\" />, which is not in the sprite."));
    }

    [Fact]
    public void No_page_layout_partial_script_or_email_source_contains_an_emoji()
    {
        var found = SourceFiles("*.cshtml").Concat(SourceFiles("*.cs")).Concat(SourceFiles("*.js"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}lib{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => Emoji.Pattern().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(WebRoot(), l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(found.Count == 0, "Emoji in the app's sources (use <icon name=\"…\" /> or words):\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_emoji_check_recognises_the_pictographs_that_were_used_as_icons()
    {
        // Arrows and middle dots in running text (Configuración → Portal de pagos · Abono) are typography, not icons.
        Assert.All(new[] { "⚙", "🏠", "📄", "💳", "👥", "📊", "🔗", "✓", "✔", "✕", "✉", "📱", "💬", "📋", "🔒", "✏️", "⏰" }, e => Assert.Matches(Emoji.Pattern(), e));
        Assert.DoesNotMatch(Emoji.Pattern(), "Mi cuenta → Agregar servicios · $1.234 «ñandú» N° 5 — 1–30 días ¿Dudas? ×");
    }

    [GeneratedRegex("<icon\\s+name=\"([^\"]+)\"")]
    private static partial Regex IconName();

    private static string Render(IconTagHelper helper)
    {
        var context = new TagHelperContext("icon", [], new Dictionary<object, object>(), "test");
        var output = new TagHelperOutput("icon", [], (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        helper.Process(context, output);
        using var writer = new StringWriter();
        output.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    private static ViewContext ViewAt(string pathBase)
    {
        var http = new DefaultHttpContext();
        http.Request.PathBase = pathBase;
        return new ViewContext { HttpContext = http };
    }

    private sealed class StampingVersions : IFileVersionProvider
    {
        public string AddFileVersionToPath(PathString requestPathBase, string path) => path + "?v=stamp";
    }

    private static IEnumerable<string> SourceFiles(string pattern) =>
        Directory.EnumerateFiles(WebRoot(), pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string WebRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Abono.slnx")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Abono.slnx not found above the test's directory."), "src", "Abono.Web");
    }
}
