using Abono.Web.Gateways;
using Microsoft.Extensions.Options;

namespace Abono.Web.Platform.Web;

/// <summary>Added first so every answer, errors included, carries them. No inline script is allowed anywhere.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, IOptions<GatewaysOptions> gateways)
{
    /// <summary>
    /// Forms may go to ourselves and to the payment pages the gateways send payers to (Webpay's token_ws form is
    /// posted to Transbank; Chrome also applies form-action to the redirect after our own form posts).
    /// </summary>
    private static readonly string[] GatewayPages =
    [
        "https://webpay3g.transbank.cl", "https://webpay3gint.transbank.cl", "https://*.mercadopago.cl", "https://*.mercadopago.com",
        "https://checkout.stripe.com", "https://khipu.com", "https://*.khipu.com", "https://www.flow.cl", "https://sandbox.flow.cl",
        "https://*.fintoc.com",
    ];

    private readonly string _contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        $"form-action 'self' {string.Join(' ', GatewayPages.Concat(ConfiguredGatewayOrigins(gateways.Value)).Distinct())}; " +
        "frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    /// <summary>Gateways pointed elsewhere (the local fakes) host their payment pages there too.</summary>
    private static IEnumerable<string> ConfiguredGatewayOrigins(GatewaysOptions gateways) =>
        gateways.Overrides().Select(o => o.BaseUrl)
            .Where(url => Uri.TryCreate(url, UriKind.Absolute, out _))
            .Select(url => new Uri(url).GetLeftPart(UriPartial.Authority));

    private const string FramedDocumentKey = "Abono.FramedDocument";

    /// <summary>
    /// HTML we did not write for our pages (an email's HTML part, previewed at /dev/correos): shown only inside our
    /// own frames, sandboxed, with inline styles and data: images but no script, no requests, no forms.
    /// </summary>
    private const string FramedDocumentPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox";

    /// <summary>Marks this response as a framed, sandboxed document (see <see cref="FramedDocumentPolicy"/>).</summary>
    public static void ServeAsFramedDocument(HttpContext context) => context.Items[FramedDocumentKey] = true;

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // The API reference (Swagger UI) needs inline script and styles; only that path gets them.
            var framed = context.Items.ContainsKey(FramedDocumentKey);
            headers.ContentSecurityPolicy = framed
                ? FramedDocumentPolicy
                : context.Request.Path.StartsWithSegments("/api/docs")
                    ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
                    : _contentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = framed ? "SAMEORIGIN" : "DENY";
            // Portal URLs carry tokens and codes: never leak them to other sites.
            headers["Referrer-Policy"] = context.Request.Path.StartsWithSegments("/portal") ? "no-referrer" : "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
