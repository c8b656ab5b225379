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
/// request in bench/load.sh). The page's POSTs stay with Razor Pages (antiforgery validation, form binding), and so
/// does HEAD. <see cref="PortalModule.MapPortal"/> maps it at order 0 and moves the page's route to order 1, so this
/// wins over the page while more specific routes (/portal/c/{token}) still win over both.
/// The model gets no page action descriptor: its GET handlers may return a slice, a redirect, JSON, a status or a
/// partial view, not Page() or RedirectToPage().
/// </summary>
public static class DocumentsEndpoint
{
    public const string Route = "/portal/{code}/documentos";

    private static readonly ObjectFactory<DocumentsModel> NewModel = ActivatorUtilities.CreateFactory<DocumentsModel>([]);

    public static async Task GetAsync(HttpContext http, string? code)
    {
        var query = http.Request.Query;
        var handler = First(query, "handler");
        var quote = string.Equals(handler, "Quote", StringComparison.OrdinalIgnoreCase);
        if (!quote && handler is not null)
        {
            // As UnknownHandlerFilter answers a handler the page does not have (?handler=Preview is a POST's).
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var model = NewModel(http.RequestServices, []);
        var action = new ActionContext(http, http.GetRouteData(), new ActionDescriptor());
        // What the invoker would give the model: the request, model state, and view data for its partial result
        // ("Portal no disponible").
        model.PageContext = new PageContext(action)
        {
            ViewData = new ViewDataDictionary(http.RequestServices.GetRequiredService<IModelMetadataProvider>(), action.ModelState),
        };
        model.Code = string.IsNullOrWhiteSpace(code) ? "" : code;
        var result = quote
            ? await model.OnGetQuoteAsync(First(query, "documentos"), First(query, "monto"), http.RequestAborted)
            : await model.OnGetAsync(First(query, "documentos"), First(query, "monto"), Method(First(query, "medio")), http.RequestAborted);
        await result.ExecuteResultAsync(action);
    }

    /// <summary>As MVC's binding read a query value: the first one if repeated, and a blank one is none.</summary>
    private static string? First(IQueryCollection query, string key) =>
        query[key] is { Count: > 0 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;

    /// <summary>?medio= as a number, or none for anything else (no 400 for a mangled link: it only preselects a method).</summary>
    private static long? Method(string? medio) =>
        long.TryParse(medio, System.Globalization.NumberStyles.AllowLeadingWhite | System.Globalization.NumberStyles.AllowTrailingWhite,
            System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}
