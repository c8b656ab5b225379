namespace Abono.Web.Platform.Web;

/// <summary>Added first so every answer, errors included, carries them. No inline script is allowed anywhere.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // The API reference (Swagger UI) needs inline script and styles; only that path gets them.
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api/docs")
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
                : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // Portal URLs carry tokens and codes: never leak them to other sites.
            headers["Referrer-Policy"] = context.Request.Path.StartsWithSegments("/portal") ? "no-referrer" : "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
