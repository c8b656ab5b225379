using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Abono.Web.Platform.Web;

/// <summary>
/// A request no handler method of its page matches (?handler=Nada, or a POST to a page that only shows) would render
/// the page without running any handler, with a model its view does not expect: a NullReferenceException, a 500. It is
/// answered as what it is instead: 405 when the page handles nothing for that method, 404 for an unknown handler.
/// Pages without handler methods (the error page, plain content), and GET on pages that have no GET handler, render as before.
/// </summary>
public sealed class UnknownHandlerFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var handlers = context.ActionDescriptor.HandlerMethods;
        if (context.HandlerMethod is not null || handlers.Count == 0)
        {
            await next();
            return;
        }
        var method = context.HttpContext.Request.Method;
        var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        var forMethod = handlers.Any(h => string.Equals(h.HttpMethod, read ? "GET" : method, StringComparison.OrdinalIgnoreCase));
        if (!forMethod && read)
        {
            // A page with only POST handlers (Crear cuenta) shows itself on GET with no handler at all: as designed.
            await next();
            return;
        }
        if (!forMethod)
        {
            context.HttpContext.Response.Headers.Allow = string.Join(", ", handlers.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET").Distinct());
        }
        context.Result = new StatusCodeResult(forMethod ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed);
    }
}
