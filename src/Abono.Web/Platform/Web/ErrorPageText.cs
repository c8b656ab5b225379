namespace Abono.Web.Platform.Web;

/// <summary>
/// A middleware that refuses a request with a bare status code can say why: the status page (/error/{code}) is
/// rendered for the same HttpContext and shows this text instead of the generic one for the code.
/// </summary>
public static class ErrorPageText
{
    private const string Key = "Abono.ErrorPageText";

    public static void Set(HttpContext context, string text) => context.Items[Key] = text;

    public static string? Get(HttpContext context) => context.Items[Key] as string;
}
