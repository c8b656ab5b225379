namespace Abono.Web.Platform.Tenancy;

/// <summary>Marks a row that belongs to one company; the DbContext filters and guards these.</summary>
public interface ITenantOwned
{
    Guid CompanyId { get; set; }
}

/// <summary>
/// The company the current request (or job) acts for. Filled once per scope: from the signed-in
/// user's claim by <see cref="TenantMiddleware"/>, or explicitly by a job or the demo seeder.
/// Empty means "no company": tenant-owned queries then return nothing.
/// </summary>
public sealed class TenantContext
{
    public Guid CompanyId { get; private set; }

    public bool HasCompany => CompanyId != Guid.Empty;

    public void Set(Guid companyId)
    {
        if (HasCompany && companyId != CompanyId)
        {
            throw new InvalidOperationException("The tenant of a scope cannot change once set.");
        }
        CompanyId = companyId;
    }
}

public static class TenantClaims
{
    public const string CompanyId = "abono:company_id";
    public const string FullName = "abono:full_name";
    public const string CompanyName = "abono:company_name";
}

public sealed class TenantMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, TenantContext tenant)
    {
        // Payers in the portal act for the company of the portal they opened, and API calls for the company of
        // their key; both set it themselves, whoever may also be signed in to a back office in the same browser.
        // So do signing up (for the company it creates) and accepting an invitation (for the inviting company),
        // which someone signed in to another company may well do.
        var path = context.Request.Path;
        if (path.StartsWithSegments("/portal") || path.StartsWithSegments("/api") || path.StartsWithSegments("/crear-cuenta")
            || path.StartsWithSegments("/invitacion"))
        {
            return next(context);
        }
        // The error page re-runs the pipeline in the same scope, whose tenant the failed request may have set already
        // (a merchant's browser on another company's portal, answered 404): that page shows no company data.
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
            || context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null)
        {
            return next(context);
        }
        var claim = context.User.FindFirst(TenantClaims.CompanyId)?.Value;
        if (claim is not null && Guid.TryParse(claim, out var companyId))
        {
            tenant.Set(companyId);
        }
        return next(context);
    }
}
