using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Abono.Web.Features.Portal;

/// <summary>
/// The payer's session: its own cookie, apart from the back office's, scoped to one portal (company) and one
/// customer. Idle timeout 15 minutes (sliding), absolute 2 hours from identification.
/// </summary>
public static class PortalSession
{
    public const string Scheme = "Portal";
    public const string CompanyClaim = "portal:company";
    public const string CustomerClaim = "portal:customer";
    public const string CodeClaim = "portal:code";
    public const string IssuedClaim = "portal:issued";
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Absolute = TimeSpan.FromHours(2);

    public static AuthenticationBuilder AddPortalSession(this AuthenticationBuilder builder, bool production) =>
        builder.AddCookie(Scheme, options =>
        {
            // Path /portal rules out __Host-; __Secure- still forces HTTPS in Production.
            options.Cookie.Name = production ? "__Secure-abono.portal" : "abono.portal";
            options.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = "/portal";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = Idle;
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = context =>
            {
                var issued = context.Principal?.FindFirst(IssuedClaim)?.Value;
                var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
                if (!long.TryParse(issued, out var ticks) || clock.GetUtcNow().UtcDateTime - new DateTime(ticks, DateTimeKind.Utc) > Absolute)
                {
                    context.RejectPrincipal();
                }
                return Task.CompletedTask;
            };
            // The portal pages handle a missing session themselves (back to identification).
            options.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });

    public static Task SignInAsync(HttpContext http, Guid companyId, long customerId, string code, TimeProvider clock)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(CompanyClaim, companyId.ToString()),
            new Claim(CustomerClaim, customerId.ToString()),
            new Claim(CodeClaim, code),
            new Claim(IssuedClaim, clock.GetUtcNow().UtcDateTime.Ticks.ToString()),
        ], Scheme);
        return http.SignInAsync(Scheme, new ClaimsPrincipal(identity));
    }

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);

    /// <summary>The customer this browser identified as for this portal code, or null.</summary>
    public static async Task<(Guid CompanyId, long CustomerId)?> CurrentAsync(HttpContext http, string code)
    {
        var result = await http.AuthenticateAsync(Scheme);
        var principal = result.Principal;
        if (!result.Succeeded || principal?.FindFirst(CodeClaim)?.Value != code
            || !Guid.TryParse(principal.FindFirst(CompanyClaim)?.Value, out var companyId)
            || !long.TryParse(principal.FindFirst(CustomerClaim)?.Value, out var customerId))
        {
            return null;
        }
        return (companyId, customerId);
    }
}
