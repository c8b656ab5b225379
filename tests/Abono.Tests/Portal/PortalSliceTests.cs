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

    [Fact]
    public async Task The_pending_documents_GET_is_served_by_its_minimal_endpoint_and_answers_its_handlers_as_the_page_did()
    {
        // The GET outranks the Razor page's route (order -1); the page keeps its POSTs.
        var endpoints = factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Where(e => e.RoutePattern.RawText?.TrimStart('/') == "portal/{code}/documentos").ToList();
        var minimal = Assert.Single(endpoints, e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is null);
        Assert.Equal(["GET"], minimal.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()!.HttpMethods);
        Assert.True(endpoints.Where(e => e != minimal).All(e => e.Order > minimal.Order));

        var s = await PortalScenario.CreateAsync(factory);
        var payer = await s.IdentifiedPayerAsync();
        using var quote = await payer.Http.GetAsync($"/portal/{s.Code}/documentos?handler=quote&documentos={s.DocumentIds[0]}");
        using var postHandler = await payer.Http.GetAsync($"/portal/{s.Code}/documentos?handler=Preview");
        using var unknown = await payer.Http.GetAsync($"/portal/{s.Code}/documentos?handler=Nada");
        using var mangled = await payer.Http.GetAsync($"/portal/{s.Code}/documentos?medio=abc&documentos=x,-1,{s.DocumentIds[0]}&monto=1.2.3");

        Assert.Equal(HttpStatusCode.OK, quote.StatusCode);
        Assert.StartsWith("application/json", quote.Content.Headers.ContentType?.ToString());
        Assert.Contains("\"amount\"", await quote.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (postHandler.StatusCode, unknown.StatusCode));
        Assert.Contains("Página no encontrada", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, mangled.StatusCode);

        // Query values as MVC bound them: a blank selection is none given (all payable ones), a repeated key its first value.
        var all = PayLabel(await payer.Http.GetStringAsync($"/portal/{s.Code}/documentos"));
        var first = PayLabel(await payer.Http.GetStringAsync($"/portal/{s.Code}/documentos?documentos={s.DocumentIds[0]}"));
        Assert.NotEqual(all, first);
        Assert.Equal(all, PayLabel(await payer.Http.GetStringAsync($"/portal/{s.Code}/documentos?documentos=&monto=%20")));
        Assert.Equal(first, PayLabel(await payer.Http.GetStringAsync($"/portal/{s.Code}/documentos?documentos={s.DocumentIds[0]}&documentos={s.DocumentIds[1]}")));
        // A more specific route still wins: /portal/c/{token} is a customer link, not a portal called "c".
        using var link = await payer.Http.GetAsync("/portal/c/documentos");
        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
        Assert.Contains("Enlace no válido", await link.Content.ReadAsStringAsync());
    }

    private static string PayLabel(string html) => Regex.Match(html, @"Pagar \$[0-9.]+").Value;

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
