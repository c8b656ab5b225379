using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Platform.Jobs;

/// <summary>A row that work is claimed on by a lease (outbox messages, stored webhooks).</summary>
public interface ILeased
{
    long Id { get; }
    Guid? LeaseOwner { get; set; }
    DateTime? LeaseUntil { get; set; }
}

/// <summary>
/// The one way a batch of work is taken: pick candidates whose lease is free, take them with a guarded UPDATE that
/// re-checks everything the pick checked (another instance may have taken or finished them meanwhile), then read back
/// only what this owner holds. Instances never work on the same row at once, and a row held by an instance that died
/// is taken over when its lease ends.
/// </summary>
public static class LeaseClaim
{
    /// <param name="due">What makes a row due (not done, its next attempt reached); checked at every step.</param>
    public static async Task<(Guid Owner, List<T> Claimed)> ClaimAsync<T>(DbSet<T> rows, Expression<Func<T, bool>> due, DateTime now, TimeSpan lease,
        int batchSize, CancellationToken ct) where T : class, ILeased
    {
        var owner = Guid.NewGuid();
        var free = rows.Where(due).Where(r => r.LeaseUntil == null || r.LeaseUntil < now);
        var candidates = await free.OrderBy(r => r.Id).Select(r => r.Id).Take(batchSize).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return (owner, []);
        }
        await free.Where(r => candidates.Contains(r.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, owner).SetProperty(r => r.LeaseUntil, now + lease), ct);
        var claimed = await rows.AsNoTracking().Where(due).Where(r => r.LeaseOwner == owner).OrderBy(r => r.Id).ToListAsync(ct);
        return (owner, claimed);
    }
}
