using System.Net;
using System.Text.RegularExpressions;

namespace Abono.Tests.Portal;

/// <summary>
/// Issue #19: the pending-documents page is a Razor Slice with its own copy of the payer's layout
/// (Features/Portal/Slices/_PortalLayout.cshtml); every other payer page uses the Razor layout. A payer must not see
/// the difference: the same head, header and footer, byte for byte, and the same headers and cookies.
/// </summary>
public partial class PortalSliceTests(AbonoFactory factory) : IClassFixture<AbonoFactory>
{
    [Fact]
    public async Task The_pending_documents_page_wears_the_same_layout_as_every_other_payer_page()
    {
        var s = await PortalScenario.CreateAsync(factory);
        var payer = await s.IdentifiedPayerAsync();

        using var documents = await payer.Http.GetAsync($"/portal/{s.Code}/documentos");
        using var history = await payer.Http.GetAsync($"/portal/{s.Code}/pagos");
        Assert.Equal(HttpStatusCode.OK, documents.StatusCode);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        var slice = await documents.Content.ReadAsStringAsync();
        var razor = await history.Content.ReadAsStringAsync();

        Assert.Equal(Chrome(razor).Replace("<title>Mis pagos ·", "<title>Mis documentos pendientes ·"), Chrome(slice));
        Assert.Equal(documents.Content.Headers.ContentType?.ToString(), history.Content.Headers.ContentType?.ToString());
        foreach (var header in new[] { "Cache-Control", "Pragma", "X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy" })
        {
            Assert.Equal(Values(history, header), Values(documents, header));
        }
        // One antiforgery token per page, in every form, and it is a real one: the pay form posts with it.
        var tokens = AntiforgeryValue().Matches(slice).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Single(tokens);
        Assert.Equal(AntiforgeryValue().Matches(slice).Count, Regex.Matches(slice, "<form ").Count);
    }

    [Fact]
    public async Task The_pending_documents_page_without_a_session_or_portal_answers_as_before()
    {
        var s = await PortalScenario.CreateAsync(factory);
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });

        using var noSession = await anonymous.GetAsync($"/portal/{s.Code}/documentos");
        using var noPortal = await anonymous.GetAsync("/portal/NOEXISTE123/documentos");

        Assert.Equal(HttpStatusCode.Redirect, noSession.StatusCode);
        Assert.Equal($"/portal/{s.Code}", noSession.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, noPortal.StatusCode);
        Assert.Contains("Portal no disponible", await noPortal.Content.ReadAsStringAsync());
    }

    /// <summary>The layout's part of a page: the head, the header and the footer, with the antiforgery token's value masked.</summary>
    private static string Chrome(string html)
    {
        var head = html[..(html.IndexOf("<main", StringComparison.Ordinal))];
        var footer = html[html.IndexOf("</main>", StringComparison.Ordinal)..];
        return AntiforgeryValue().Replace(head + "…" + footer, "value=\"TOKEN\"");
    }

    private static string Values(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex AntiforgeryValue();
}
