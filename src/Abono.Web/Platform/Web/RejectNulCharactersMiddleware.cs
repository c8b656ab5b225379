namespace Abono.Web.Platform.Web;

/// <summary>
/// No legitimate field contains a NUL character, and PostgreSQL refuses to store or compare one, so such requests
/// are answered 400 here instead of failing deep inside a query.
/// </summary>
public sealed class RejectNulCharactersMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HasNul(context.Request.Query.SelectMany(q => q.Value.Append(q.Key))) || await HasBadFormAsync(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        await next(context);
    }

    private static async Task<bool> HasBadFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return false;
        }
        try
        {
            return HasNul((await request.ReadFormAsync()).SelectMany(f => f.Value.Append(f.Key)));
        }
        catch (InvalidDataException)
        {
            // The form reader itself refuses NUL and malformed bodies.
            return true;
        }
    }

    private static bool HasNul(IEnumerable<string?> values) => values.Any(v => v?.Contains('\0') == true);
}
