using Microsoft.AspNetCore.Mvc;

namespace Abono.Web.Platform.Web;

/// <summary>
/// A Razor Slice (or any IResult) as a page handler's answer: the page keeps its PageModel (binding, session,
/// redirects, handlers) and only its HTML is written by the slice instead of the MVC view engine.
/// </summary>
public sealed class SliceResult(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}
