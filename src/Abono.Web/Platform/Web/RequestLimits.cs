namespace Abono.Web.Platform.Web;

public static class RequestLimits
{
    /// <summary>No JSON body (the API) needs more than a megabyte; the NUL scan reads up to this much.</summary>
    public const int MaxJsonBodyBytes = 1_000_000;
}
