using Abono.Web.Data;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Api;

/// <summary>The API for the business's own systems: API keys (Configuración → API), /api/v1 with OpenAPI and its reference at /api/docs.</summary>
public static class ApiModule
{
    public const string ReadPolicy = "api:read";
    public const string WritePolicy = "api:write";
    public const int MaxBodyBytes = Platform.Web.RequestLimits.MaxJsonBodyBytes;

    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        // Under /api/v1 the back-office cookie hands everything to the API key scheme. Routing answers a wrong
        // Content-Type (415), a wrong method (405) or an unknown path with endpoints of its own that carry none of the
        // group's policies, so the app-wide fallback policy (signed in, default scheme = the cookie) judged them: a
        // valid key got a 302 to /ingresar instead of the 415, and no key a 302 instead of a 401. Forwarded, those
        // requests are authenticated by their key (and challenged with its 401 ProblemDetails), like the group's.
        builder.Services.PostConfigure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(
            Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme,
            o => o.ForwardDefaultSelector = c => c.Request.Path.StartsWithSegments("/api/v1") ? ApiKeyAuthenticationHandler.SchemeName : null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, "read", "write"))
            .AddPolicy(WritePolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, "write"));
        builder.Services.AddSingleton<Platform.Jobs.ICleanupTask, ExpiredIdempotencyRecords>();
        builder.Services.AddOpenApi("v1", ApiReference.Configure);
        // Unknown fields are a client bug worth hearing about, not something to drop silently.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow);
        return builder;
    }

    private static async Task BufferApiBodyAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength > MaxBodyBytes && !DocumentXmlEndpoint.IsPath(context.Request.Path))
        {
            await Results.Problem(title: "La solicitud supera el máximo de 1 MB.", statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
            return;
        }
        context.Request.EnableBuffering(64 * 1024);
        await next(context);
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.MapOpenApi("/api/openapi/{documentName}.json").AllowAnonymous();
        // Keep API bodies readable after binding, so the idempotency filter can hash what was sent. Other requests pass
        // straight through (no async step of their own: it showed on the payer's pages in issue #19's profile).
        app.Use((context, next) => HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/api/v1")
            ? BufferApiBodyAsync(context, next)
            : next(context));
        // The browsable reference, served from the app itself (no CDN); only its own paths go through it.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api/docs"), docs => docs.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "api/docs";
            options.SwaggerEndpoint("/api/openapi/v1.json", "Abono API v1");
            options.DocumentTitle = "Abono · Referencia de la API";
        }));
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(ReadPolicy)
            // No API request needs more than a megabyte; larger bodies are refused before binding.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .DisableAntiforgery()
            .AddEndpointFilter(async (context, next) =>
            {
                // The key's company is the tenant of everything below.
                var claim = context.HttpContext.User.FindFirst(TenantClaims.CompanyId)?.Value;
                if (Guid.TryParse(claim, out var companyId))
                {
                    context.HttpContext.RequestServices.GetRequiredService<TenantContext>().Set(companyId);
                }
                return await next(context);
            });
        var write = api.MapGroup("").RequireAuthorization(WritePolicy).AddEndpointFilter<IdempotencyFilter>();
        ApiEndpoints.Map(api, write);
        CessionEndpoints.Map(write);
        return app;
    }

    /// <summary>Idempotency keys are honoured for 24 h; their records go after two days.</summary>
    private sealed class ExpiredIdempotencyRecords : Platform.Jobs.ICleanupTask
    {
        public Task<int> DeleteExpiredAsync(AbonoDbContext db, DateTime now, CancellationToken ct) =>
            db.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.CreatedAt < now - TimeSpan.FromDays(2)).ExecuteDeleteAsync(ct);
    }
}
