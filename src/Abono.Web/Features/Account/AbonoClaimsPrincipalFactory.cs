using System.Security.Claims;
using Abono.Web.Data;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Abono.Web.Features.Account;

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
