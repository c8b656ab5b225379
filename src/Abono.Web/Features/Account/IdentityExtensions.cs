using System.Security.Claims;
using Abono.Web.Data;
using Abono.Web.Features.Portal;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Abono.Web.Features.Account;

public static class IdentityExtensions
{
    public static IHostApplicationBuilder AddAbonoIdentity(this IHostApplicationBuilder builder)
    {
        // The key ring lives in the database so cookies survive restarts and work on every instance.
        builder.Services.AddDataProtection()
            .SetApplicationName("Abono")
            .PersistKeysToDbContext<AbonoDbContext>();

        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddAuthentication().AddPortalSession(builder.Environment.IsProduction());
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
            .AddDefaultTokenProviders();

        builder.Services.AddScoped<DummyPasswordHash>();
        builder.Services.AddScoped<SignUpHandler>();
        builder.Services.AddScoped<InvitationService>();
        return builder;
    }
}

/// <summary>Puts the company on the cookie so every request knows its tenant without a lookup.</summary>
public sealed class AbonoClaimsPrincipalFactory(
    UserManager<AppUser> userManager,
    RoleManager<IdentityRole<Guid>> roleManager,
    IOptions<IdentityOptions> options,
    AbonoDbContext db)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole<Guid>>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var companyName = await db.Companies.Where(c => c.Id == user.CompanyId).Select(c => c.LegalName).SingleAsync();
        identity.AddClaim(new Claim(TenantClaims.CompanyId, user.CompanyId.ToString()));
        identity.AddClaim(new Claim(TenantClaims.FullName, user.FullName));
        identity.AddClaim(new Claim(TenantClaims.CompanyName, companyName));
        return identity;
    }
}

public sealed class SpanishIdentityErrorDescriber : IdentityErrorDescriber
{
    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = "Ya existe un usuario con ese correo." };
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = "Ya existe un usuario con ese correo." };
    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = "El correo no es válido." };
    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = "El correo no es válido como nombre de usuario." };
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"La contraseña debe tener al menos {length} caracteres." };
    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = "La contraseña debe incluir al menos un número." };
    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = "La contraseña debe incluir una minúscula." };
    public override IdentityError PasswordRequiresUpper() => new() { Code = nameof(PasswordRequiresUpper), Description = "La contraseña debe incluir una mayúscula." };
    public override IdentityError PasswordRequiresNonAlphanumeric() => new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = "La contraseña debe incluir un símbolo." };
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => new() { Code = nameof(PasswordRequiresUniqueChars), Description = $"La contraseña debe tener al menos {uniqueChars} caracteres distintos." };
    public override IdentityError DefaultError() => new() { Code = nameof(DefaultError), Description = "Ocurrió un error. Intenta nuevamente." };
    public override IdentityError ConcurrencyFailure() => new() { Code = nameof(ConcurrencyFailure), Description = "Otro usuario modificó estos datos. Recarga la página." };
}
