namespace Abono.Web.Platform.Jobs;

/// <summary>
/// Every retry schedule of Abono, in one place: how long before the first try, and how long to wait after the n-th
/// failed one. Delays grow and then stay at the last step, so a provider or mail server that is down for hours is
/// asked rarely, never forgotten.
/// </summary>
public sealed class Backoff(TimeSpan initial, params TimeSpan[] steps)
{
    /// <summary>Outbox messages (emails, webhooks to tenants): sent at once, then retried from 30 s to 6 h.</summary>
    public static Backoff Outbox { get; } = new(TimeSpan.Zero,
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6));

    /// <summary>Stored gateway webhooks whose checkout or answer is not there yet: processed at once, then from 10 s to 2 h.</summary>
    public static Backoff Inbox { get; } = new(TimeSpan.Zero,
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2));

    /// <summary>
    /// The checkout janitor asking a provider about an open checkout: first 2 min after it starts, then 10 min, 1 h,
    /// 6 h and daily (all within Webpay's 7-day status window).
    /// </summary>
    public static Backoff CheckoutStatus { get; } = new(TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1));

    /// <summary>The wait before the first try.</summary>
    public TimeSpan Initial { get; } = initial;

    /// <summary>The wait after <paramref name="attempts"/> failed tries (1 = after the first); past the end, the last step.</summary>
    public TimeSpan After(int attempts) => steps[Math.Clamp(attempts, 1, steps.Length) - 1];
}
