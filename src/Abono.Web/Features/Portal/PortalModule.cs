using Abono.Web.Data;
using Abono.Web.Platform.Jobs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>The payer's side: identification (RUT + code by email or phone), its session cookie, and the portal pages.</summary>
public static class PortalModule
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddPortalSession(builder.Environment.IsProduction());
        builder.Services.AddScoped<VerificationCodes>();
        builder.Services.AddSingleton<ICleanupTask, UsedCodesCleanup>();
        // The pending documents' GET is DocumentsEndpoint: the page's own route yields to it (order 1), and only to it.
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(options =>
            options.Conventions.AddPageRouteModelConvention("/Portal/Documents", model =>
            {
                foreach (var selector in model.Selectors)
                {
                    selector.AttributeRouteModel!.Order = 1;
                }
            }));
        return builder;
    }

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapGet(DocumentsEndpoint.Route, DocumentsEndpoint.GetAsync).AllowAnonymous();
        return app;
    }

    /// <summary>One-time codes, a day after they expired (kept that long for the per-customer send limits).</summary>
    private sealed class UsedCodesCleanup : ICleanupTask
    {
        public Task<int> DeleteExpiredAsync(AbonoDbContext db, DateTime now, CancellationToken ct) =>
            db.PortalVerificationCodes.IgnoreQueryFilters().Where(c => c.ExpiresAt < now - TimeSpan.FromDays(1)).ExecuteDeleteAsync(ct);
    }
}
