using System.Net;
using System.Net.Sockets;
using Abono.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Platform.Security;

/// <summary>
/// Slows down guessing without ever locking anyone out, the way large identity providers do: failures are counted
/// per (source, subject) and per source, and a source that keeps failing must wait an increasing delay before its
/// next attempt is even checked. Nothing is counted per subject alone, so failures from elsewhere never stop the
/// right answer from a source that is not itself throttled; and a shared address (an office, a carrier's NAT) where
/// someone is guessing costs its other users at most <see cref="PerSource"/>'s longest delay.
/// The counts live in the database (table PortalLoginFailures, keys hashed) so they hold across instances; the delay
/// is an answer ("try again in N s", 429 + Retry-After) computed from <see cref="TimeProvider"/>, never a sleep.
/// </summary>
public sealed class LoginThrottle(AbonoDbContext db, TimeProvider clock)
{
    /// <param name="FreeFailures">Failures allowed before any delay (typos).</param>
    /// <param name="FirstDelay">Delay after the first failure past the free ones; it doubles with each further failure.</param>
    /// <param name="MaxDelay">The longest delay, so the wait is always bounded.</param>
    public sealed record Policy(int FreeFailures, TimeSpan FirstDelay, TimeSpan MaxDelay)
    {
        public TimeSpan DelayAfter(int failures)
        {
            if (failures < FreeFailures)
            {
                return TimeSpan.Zero;
            }
            var doublings = Math.Min(failures - FreeFailures, 20);
            var delay = FirstDelay * Math.Pow(2, doublings);
            return delay < MaxDelay ? delay : MaxDelay;
        }
    }

    /// <summary>One source guessing one subject (a RUT, an email): 3 free tries, then 5 s, 10 s, 20 s … up to 5 minutes.</summary>
    public static readonly Policy PerSubject = new(3, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));

    /// <summary>One source across every subject (spraying): 10 free tries, then 2 s, 4 s … up to 1 minute.</summary>
    public static readonly Policy PerSource = new(10, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1));

    /// <summary>Failures older than this are forgotten.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public const string PortalScope = "portal";
    public const string SignInScope = "signin";

    /// <summary>
    /// Starts an attempt. A throttled source gets <see cref="Attempt.Throttled"/> and must not have its answer checked.
    /// Otherwise the attempt is written as a failure up front (so parallel attempts see each other) and the caller
    /// ends it with <see cref="Attempt.SucceededAsync"/> or <see cref="Attempt.FailedAsync"/>.
    /// </summary>
    public async Task<Attempt> BeginAsync(string scope, string subject, string source, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var pairKey = TokenFactory.Hash($"{scope}|pair|{source}|{subject}");
        var sourceKey = TokenFactory.Hash($"{scope}|source|{source}");

        var wait = await WaitAsync(pairKey, sourceKey, beforeId: null, now, ct);
        if (wait > TimeSpan.Zero)
        {
            // Throttled answers are not counted: waiting it out is enough, retrying does not make it longer.
            return new Attempt(this, wait, pairKey, []);
        }

        var rows = new[] { new LoginFailure { KeyHash = pairKey, At = now }, new LoginFailure { KeyHash = sourceKey, At = now } };
        db.PortalLoginFailures.AddRange(rows);
        await db.SaveChangesAsync(ct);
        // Check again, counting only attempts written before ours: of a burst sent in parallel, only those that fit
        // the free allowance go on to have their answer checked.
        wait = await WaitAsync(pairKey, sourceKey, beforeId: rows.Min(r => r.Id), now, ct);
        if (wait > TimeSpan.Zero)
        {
            await DeleteAsync(rows.Select(r => r.Id).ToArray(), null, ct);
            return new Attempt(this, wait, pairKey, []);
        }
        return new Attempt(this, TimeSpan.Zero, pairKey, rows.Select(r => r.Id).ToArray());
    }

    private async Task<TimeSpan> WaitAsync(string pairKey, string sourceKey, long? beforeId, DateTime now, CancellationToken ct)
    {
        var since = now - Window;
        var query = db.PortalLoginFailures.Where(f => (f.KeyHash == pairKey || f.KeyHash == sourceKey) && f.At > since);
        if (beforeId is { } id)
        {
            query = query.Where(f => f.Id < id);
        }
        var stats = await query.GroupBy(f => f.KeyHash)
            .Select(g => new { Key = g.Key, Count = g.Count(), Last = g.Max(f => f.At) })
            .ToListAsync(ct);
        var until = DateTime.MinValue;
        foreach (var s in stats)
        {
            var policy = s.Key == pairKey ? PerSubject : PerSource;
            var delay = policy.DelayAfter(s.Count);
            if (delay > TimeSpan.Zero && s.Last + delay > until)
            {
                until = s.Last + delay;
            }
        }
        return until > now ? until - now : TimeSpan.Zero;
    }

    private Task ForgetOldAsync(CancellationToken ct)
    {
        var old = clock.GetUtcNow().UtcDateTime - Window;
        return db.PortalLoginFailures.Where(f => f.At < old).ExecuteDeleteAsync(ct);
    }

    private Task DeleteAsync(long[] ids, string? pairKey, CancellationToken ct) =>
        db.PortalLoginFailures.Where(f => ids.Contains(f.Id) || f.KeyHash == pairKey).ExecuteDeleteAsync(ct);

    public sealed class Attempt
    {
        private readonly LoginThrottle _throttle;
        private readonly string _pairKey;
        private readonly long[] _rows;

        internal Attempt(LoginThrottle throttle, TimeSpan retryAfter, string pairKey, long[] rows) =>
            (_throttle, RetryAfter, _pairKey, _rows) = (throttle, retryAfter, pairKey, rows);

        /// <summary>The source must wait before this answer is checked.</summary>
        public bool Throttled => RetryAfter > TimeSpan.Zero;

        public TimeSpan RetryAfter { get; }

        /// <summary>Whole seconds, rounded up, for Retry-After and the page.</summary>
        public int RetryAfterSeconds => (int)Math.Ceiling(RetryAfter.TotalSeconds);

        /// <summary>
        /// The right answer: this attempt is no failure, and this source's failures on this subject are forgiven
        /// (its failures on other subjects stay, so a valid account of one's own cannot reset a spray).
        /// </summary>
        public Task SucceededAsync(CancellationToken ct) => _throttle.DeleteAsync(_rows, _pairKey, ct);

        /// <summary>A wrong answer: the failure written up front stays; rows past the window are dropped.</summary>
        public Task FailedAsync(CancellationToken ct) => _throttle.ForgetOldAsync(ct);
    }

    /// <summary>"30 segundos", "2 minutos": the wait in words for the page.</summary>
    public static string Describe(int seconds) => seconds switch
    {
        <= 1 => "1 segundo",
        < 60 => $"{seconds} segundos",
        60 => "1 minuto",
        _ => $"{(seconds + 59) / 60} minutos",
    };
}

/// <summary>
/// Who is asking, for throttling: the client address as ASP.NET Core sees it, that is after the forwarded-headers
/// middleware, which takes X-Forwarded-For only from the configured proxies (ForwardedHeaders:KnownNetworks).
/// An IPv6 client is its /64: one subscriber usually holds a whole /64, so single addresses would be free to rotate.
/// </summary>
public static class ClientSource
{
    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return address.ToString();
    }
}
