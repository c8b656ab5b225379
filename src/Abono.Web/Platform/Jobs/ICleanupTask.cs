using Abono.Web.Data;

namespace Abono.Web.Platform.Jobs;

/// <summary>
/// One module's rows past their retention (used codes, expired locks, old idempotency records). Each is a plain
/// DELETE of rows past a date, so instances running it at once, or a run repeated after a crash, change nothing twice.
/// </summary>
public interface ICleanupTask
{
    /// <summary>Deletes what has served its purpose; returns how many rows went.</summary>
    Task<int> DeleteExpiredAsync(AbonoDbContext db, DateTime now, CancellationToken ct);
}
