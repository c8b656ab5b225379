using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Abono.Web.Features.Portal;

/// <summary>
/// GET /portal/{code}/documentos (and its ?handler=Quote total), the payer's busiest page, served by a minimal
/// endpoint that runs <see cref="DocumentsModel"/>'s own GET handlers: the same model, session rules, slice and
/// results, without the Razor Pages invoker, its binding and filters (issue #19: about 45 µs of the app's ~465 µs per
/// request in bench/load.sh). The page's POSTs stay with Razor Pages (antiforgery validation, form binding). It
/// outranks the page's GET route by its order; HEAD still goes to the page.
/// </summary>
public static class DocumentsEndpoint
{
    public static IEndpointRouteBuilder MapPortalDocuments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/portal/{code}/documentos", GetAsync).WithOrder(-1).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task GetAsync(HttpContext http, string? code, string? documentos, string? monto, string? medio, string? handler)
    {
        var quote = string.Equals(handler, "Quote", StringComparison.OrdinalIgnoreCase);
        if (!quote && !string.IsNullOrEmpty(handler))
        {
            // As UnknownHandlerFilter answers a handler the page does not have (?handler=Preview is a POST's).
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var model = ActivatorUtilities.CreateInstance<DocumentsModel>(http.RequestServices);
        var action = new ActionContext(http, http.GetRouteData(), new ActionDescriptor());
        // What the invoker would give the model: the request, model state, and view data for its partial results
        // ("Portal no disponible" and the gateway's auto-posting form).
        model.PageContext = new PageContext(action)
        {
            ViewData = new ViewDataDictionary(http.RequestServices.GetRequiredService<IModelMetadataProvider>(), action.ModelState),
        };
        model.Code = string.IsNullOrWhiteSpace(code) ? "" : code;
        var result = quote
            ? await model.OnGetQuoteAsync(documentos, monto, http.RequestAborted)
            : await model.OnGetAsync(documentos, monto, ParseMethod(medio), http.RequestAborted);
        await result.ExecuteResultAsync(action);
    }

    /// <summary>As model binding read ?medio=: a number, or nothing for anything else (no 400 for a mangled link).</summary>
    private static long? ParseMethod(string? medio) =>
        long.TryParse(medio, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}
