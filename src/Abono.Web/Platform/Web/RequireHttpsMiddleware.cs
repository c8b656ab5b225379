using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Extensions;

namespace Abono.Web.Platform.Web;

/// <summary>
/// Production answers only over https (as the proxy reports it, see ForwardedHeaders:KnownNetworks): its cookies are
/// Secure-only, and antiforgery refuses to issue its __Host- cookie over http, so a page with a form would be a 500.
/// A GET or HEAD is sent to the same path on our configured https address (never the request's Host); anything else
/// is refused with 400, since repeating a POST elsewhere is not ours to decide; the API is refused too, not
/// redirected, so a client learns to fix its URL instead of sending its key in clear once more on every call.
/// Health checks stay reachable over http: load balancers probe them from inside the network.
/// </summary>
public sealed class RequireHttpsMiddleware(RequestDelegate next, AppUrls urls)
{
    private const string Text = "Abono solo atiende por https. Abre la dirección que empieza con https:// e intenta de nuevo.";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.IsHttps || request.Path.StartsWithSegments("/health")
            || context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            await next(context);
            return;
        }
        if (request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(title: "La API solo atiende por https.", detail: $"Usa {urls.Absolute("api/v1")}.", statusCode: StatusCodes.Status400BadRequest)
                .ExecuteAsync(context);
            return;
        }
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            var location = UriHelper.BuildAbsolute("https", new HostString(urls.BaseUrl.Authority), request.PathBase, request.Path, request.QueryString);
            context.Response.Redirect(location, permanent: true, preserveMethod: true);
            return;
        }
        // The Spanish status page renders for this same request: without its cookies, so it is an anonymous page.
        request.Headers.Cookie = default;
        ErrorPageText.Set(context, Text);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
