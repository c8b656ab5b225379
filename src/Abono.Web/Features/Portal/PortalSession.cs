using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>The customer link a session was opened with: the session lasts only while that link does.</summary>
    public const string LinkClaim = "portal:link";
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Absolute = TimeSpan.FromHours(2);

    /// <summary>
    /// Whether the link a session was opened with still opens (every payer page asks): compiled, since building the
    /// query from its expression on every request showed in the profile (issue #19).
    /// </summary>
    private static readonly Func<Data.AbonoDbContext, long, DateTime, Task<bool>> LinkIsLive =
        EF.CompileAsyncQuery((Data.AbonoDbContext db, long linkId, DateTime now) => db.CustomerPortalLinks.IgnoreQueryFilters()
            .Any(l => l.Id == linkId && l.RevokedAt == null && (l.ExpiresAt == null || l.ExpiresAt > now)));

    /// <summary>The purposes cookie authentication protects this scheme's tickets with (so cookies issued before stay valid).</summary>
    private static readonly string[] TicketPurposes = ["Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", Scheme, "v2"];

    public static AuthenticationBuilder AddPortalSession(this AuthenticationBuilder builder, bool production)
    {
        // The payer's browser sends the same cookie with every page: opened and deserialised once a minute, not on
        // every request.
        builder.Services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IDataProtectionProvider>((options, protection) =>
            options.TicketDataFormat = new Platform.Security.RepeatedTicketFormat(new TicketDataFormat(
                protection.CreateProtector(TicketPurposes[0], TicketPurposes[1..]))));
        return builder.AddCookie(Scheme, options =>
        {
            // Path /portal rules out __Host-; __Secure- still forces HTTPS in Production.
            options.Cookie.Name = production ? "__Secure-abono.portal" : "abono.portal";
            options.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = "/portal";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = Idle;
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = async context =>
            {
                var issued = context.Principal?.FindFirst(IssuedClaim)?.Value;
                var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
                var now = clock.GetUtcNow().UtcDateTime;
                if (!long.TryParse(issued, out var ticks) || now - new DateTime(ticks, DateTimeKind.Utc) > Absolute)
                {
                    context.RejectPrincipal();
                    return;
                }
                // Regenerar (or the link's own expiry) ends the sessions the link opened, not only future uses of it.
                if (context.Principal!.FindFirst(LinkClaim)?.Value is { } linkValue)
                {
                    var db = context.HttpContext.RequestServices.GetRequiredService<Data.AbonoDbContext>();
                    var live = long.TryParse(linkValue, out var linkId) && await LinkIsLive(db, linkId, now);
                    if (!live)
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(Scheme);
                    }
                }
            };
            // The portal pages handle a missing session themselves (back to identification).
            options.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
    }

    /// <param name="linkId">Set when the session comes from a customer link (see <see cref="LinkClaim"/>).</param>
    public static Task SignInAsync(HttpContext http, Guid companyId, long customerId, string code, TimeProvider clock, long? linkId = null)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(CompanyClaim, companyId.ToString()),
            new Claim(CustomerClaim, customerId.ToString()),
            new Claim(CodeClaim, code),
            new Claim(IssuedClaim, clock.GetUtcNow().UtcDateTime.Ticks.ToString()),
        ], Scheme);
        if (linkId is { } id)
        {
            identity.AddClaim(new Claim(LinkClaim, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
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
