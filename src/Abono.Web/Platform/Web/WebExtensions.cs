using System.Text.Encodings.Web;
using System.Text.Unicode;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.WebEncoders;

namespace Abono.Web.Platform.Web;

public static class WebExtensions
{
    public static IHostApplicationBuilder AddAbonoWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
            {
                // Each screen lives with its feature: Features/Customers/Index.cshtml serves /clientes.
                options.RootDirectory = "/Features";
            })
            .AddMvcOptions(options =>
            {
                SpanishBindingMessages.Apply(options.ModelBindingMessageProvider);
                options.ModelBinderProviders.Insert(0, new CheckboxBooleanBinderProvider());
                options.Filters.Add(new UnknownHandlerFilter());
            });

        // Every page needs a signed-in user unless it says otherwise; the role policies are Account's (AccountModule).
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = builder.Environment.IsProduction() ? "__Host-abono.af" : "abono.af";
            options.Cookie.SecurePolicy = builder.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddProblemDetails();
        // Write "ñ" and "ó" as they are instead of &#xF1; entities.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<AppOptions>().Bind(builder.Configuration.GetSection(AppOptions.Section))
            .Validate(o => AppUrls.TryParse(o.BaseUrl, out _), AppUrls.InvalidMessage(builder.Configuration[AppUrls.ConfigurationKey])).ValidateOnStart();
        builder.Services.AddSingleton<AppUrls>();
        builder.AddOutboundUrlGuard();
        builder.AddAbonoRateLimits();
        builder.Services.AddScoped<Security.LoginThrottle>();
        return builder;
    }

    public static WebApplication UseAbonoWeb(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
        }
        if (app.Environment.IsProduction())
        {
            app.UseHsts();
        }
        // People get the Spanish error pages; API clients get ProblemDetails JSON.
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), b => b.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), b => b.UseStatusCodePages());
        if (app.Environment.IsProduction())
        {
            // After the status pages, so its 400 is the Spanish page (UseHttpsRedirection does nothing without an https port).
            app.UseMiddleware<RequireHttpsMiddleware>();
        }
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(ChileFormats.Culture),
            SupportedCultures = [ChileFormats.Culture],
            SupportedUICultures = [ChileFormats.Culture],
            RequestCultureProviders = [],
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        // Reads bodies (forms, JSON) to refuse NUL characters and damaged forms: only once the limiter let the request in.
        app.UseMiddleware<RejectNulCharactersMiddleware>();
        app.UseMiddleware<TenantMiddleware>();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapAbonoWeb(this WebApplication app)
    {
        app.MapHealthChecks("/health").AllowAnonymous();
        // Liveness: the process answers. Readiness: the database answers too (load balancers route only then).
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready").AllowAnonymous();
        app.MapRazorPages();
        return app;
    }
}

public static class Policies
{
    public const string Administrador = "Administrador";
    public const string Operador = "Operador";
}
