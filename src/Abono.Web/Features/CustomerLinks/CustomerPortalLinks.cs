using Abono.Web.Data;
using Abono.Web.Platform.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.CustomerLinks;

/// <summary>
/// The customer link's lifecycle. The token (256 bits, from TokenFactory) is looked up by its hash and kept encrypted
/// only so the business can copy it again; regenerating revokes the old one at once.
/// </summary>
public sealed class CustomerPortalLinks(AbonoDbContext db, IDataProtectionProvider protection, TimeProvider clock, Platform.Web.AppUrls urls)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Abono.CustomerPortalLinks.v1");

    public async Task<(string Token, DateTime? ExpiresAt)> CurrentOrNewAsync(long customerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var link = await db.CustomerPortalLinks.AsNoTracking()
            .Where(l => l.CustomerId == customerId && l.RevokedAt == null && (l.ExpiresAt == null || l.ExpiresAt > now))
            .OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        return link is null ? await RegenerateAsync(customerId, ct) : (_protector.Unprotect(link.TokenProtected), link.ExpiresAt);
    }

    public async Task<(string Token, DateTime? ExpiresAt)> RegenerateAsync(long customerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var validity = await db.PortalConfigurations.Select(p => (int?)p.CustomerLinkValidityDays).SingleOrDefaultAsync(ct) ?? 0;
        await db.CustomerPortalLinks.Where(l => l.CustomerId == customerId && l.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), ct);
        var (token, hash) = TokenFactory.Create();
        var link = new CustomerPortalLink
        {
            CustomerId = customerId,
            TokenHash = hash,
            TokenProtected = _protector.Protect(token),
            CreatedAt = now,
            ExpiresAt = validity > 0 ? now.AddDays(validity) : null,
        };
        db.CustomerPortalLinks.Add(link);
        await db.SaveChangesAsync(ct);
        return (token, link.ExpiresAt);
    }

    public string Url(string token) => urls.Absolute($"/portal/c/{token}");
}
