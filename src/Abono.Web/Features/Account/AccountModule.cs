using Abono.Web.Data;
using Abono.Web.Platform.Web;
using Microsoft.AspNetCore.Identity;

namespace Abono.Web.Features.Account;

/// <summary>Back-office users: Identity with its cookie, roles and their policies, sign-up, invitations.</summary>
public static class AccountModule
{
    public static IHostApplicationBuilder AddAccount(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        // In Production (HTTPS only) cookies carry the __Host-/__Secure- prefixes: browsers then refuse them over
        // plain HTTP or from another (sub)domain.
        var production = builder.Environment.IsProduction();
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = production ? "__Host-abono.auth" : "abono.auth";
            options.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = "/ingresar";
            options.LogoutPath = "/salir";
            options.AccessDeniedPath = "/acceso-denegado";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
        });

        builder.Services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                // No per-account lockout: it told which emails exist and let anyone lock an account out.
                // Sign-in is throttled per source instead (LoginThrottle, SignIn.cshtml.cs).
                options.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<AbonoDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AbonoClaimsPrincipalFactory>()
            .AddErrorDescriber<SpanishIdentityErrorDescriber>()
            .AddDefaultTokenProviders()
            // Reset links: short-lived on the app's clock; single use through the security stamp a reset changes.
            .AddTokenProvider<ResetTokenProvider>(ResetTokenProvider.Name);
        builder.Services.Configure<IdentityOptions>(o => o.Tokens.PasswordResetTokenProvider = ResetTokenProvider.Name);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Administrador, p => p.RequireRole(Roles.Administrador))
            .AddPolicy(Policies.Operador, p => p.RequireRole(Roles.Operador));
        builder.Services.AddScoped<PasswordReset>();
        builder.Services.AddScoped<DummyPasswordHash>();
        builder.Services.AddScoped<SignUpHandler>();
        builder.Services.AddScoped<InvitationService>();
        return builder;
    }
}
