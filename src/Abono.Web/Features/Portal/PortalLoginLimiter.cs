using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Platform.Security;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Portal;

/// <summary>
/// Failed identifications per RUT and per IP, counted in the database (so the limit holds across instances):
/// 5 failures in 15 minutes block further attempts until the window passes.
/// </summary>
public sealed class PortalLoginLimiter(AbonoDbContext db, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public async Task<bool> IsBlockedAsync(string portalCode, string rutKey, string? ip, CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime - Window;
        var keys = Keys(portalCode, rutKey, ip);
        foreach (var key in keys)
        {
            if (await db.PortalLoginFailures.CountAsync(f => f.KeyHash == key && f.At > since, ct) >= MaxFailures)
            {
                return true;
            }
        }
        return false;
    }

    public async Task RecordFailureAsync(string portalCode, string rutKey, string? ip, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var key in Keys(portalCode, rutKey, ip))
        {
            db.PortalLoginFailures.Add(new PortalLoginFailure { KeyHash = key, At = now });
        }
        await db.SaveChangesAsync(ct);
        // Old rows are useless once outside the window.
        await db.PortalLoginFailures.Where(f => f.At < now - Window - Window).ExecuteDeleteAsync(ct);
    }

    /// <summary>Keys are hashed: the table holds no RUT or IP in clear.</summary>
    private static string[] Keys(string portalCode, string rutKey, string? ip) =>
        ip is null
            ? [TokenFactory.Hash($"rut|{portalCode}|{rutKey}")]
            : [TokenFactory.Hash($"rut|{portalCode}|{rutKey}"), TokenFactory.Hash($"ip|{ip}")];
}
