using System.Diagnostics;
using Abono.Web.Data;
using Abono.Web.Features.Collections;
using Abono.Web.Features.Payments;
using Abono.Web.Gateways;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Abono.Bench;

/// <summary>
/// The confirmation path as the app runs it: for pending portal checkouts, PaymentConfirmation.ApplyAsync with a
/// verified approval — guarded state move, payment and allocations, balance updates, receipt PDF and emails and
/// webhooks into the outbox, one transaction each — at several concurrencies, in confirmations per second.
/// </summary>
public static class ConfirmationBench
{
    public static async Task RunAsync(WebApplication app, int[] levels, int perLevel)
    {
        Console.WriteLine($"Confirmation path (confirm + allocate + receipts into the outbox), {perLevel:N0} checkouts per level:");
        Console.WriteLine($"{"concurrency",12} {"confirmations/s",16} {"p50 ms",8} {"p99 ms",8}");
        var confirmation = app.Services.GetRequiredService<PaymentConfirmation>();
        foreach (var level in levels)
        {
            var checkouts = await CreateCheckoutsAsync(app, perLevel);
            var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
            var clock = Stopwatch.StartNew();
            var applied = 0;
            await Parallel.ForEachAsync(checkouts, new ParallelOptions { MaxDegreeOfParallelism = level }, async (c, ct) =>
            {
                var started = Stopwatch.GetTimestamp();
                if (await confirmation.ApplyAsync(c.Id, new GatewayStatus(GatewayOutcome.Approved, c.Amount, "CLP", "bench-" + c.Id), ct) == ConfirmationResult.Applied)
                {
                    Interlocked.Increment(ref applied);
                }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            });
            var elapsed = clock.Elapsed;
            if (applied != checkouts.Count)
            {
                throw new InvalidOperationException($"{applied} of {checkouts.Count} confirmations applied.");
            }
            var sorted = latencies.Order().ToList();
            Console.WriteLine($"{level,12} {applied / elapsed.TotalSeconds,16:F0} {sorted[sorted.Count / 2],8:F1} {sorted[(int)(sorted.Count * 0.99)],8:F1}");
        }
    }

    /// <summary>Pending checkouts over distinct owed documents, as the portal leaves them when the payer goes to the gateway.</summary>
    private static async Task<List<Checkout>> CreateCheckoutsAsync(WebApplication app, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(Generator.BigCompany);
        var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
        var method = await db.PaymentMethods.Where(m => m.Kind == GatewayKind.Sandbox).Select(m => m.Id).FirstAsync();
        var documents = await db.Documents.Where(d => d.Balance > 0 && d.CustomerId != null && !db.CheckoutDocuments.Any(l => l.DocumentId == d.Id))
            .OrderBy(d => d.Id).Take(count).Select(d => new { d.Id, d.CustomerId, d.Balance }).ToListAsync();
        var now = DateTime.UtcNow;
        var checkouts = documents.Select(d => new Checkout
        {
            CompanyId = Generator.BigCompany, Purpose = CheckoutPurpose.DocumentPayment, CustomerId = d.CustomerId, Amount = d.Balance,
            Gateway = GatewayKind.Sandbox, PaymentMethodId = method, State = CheckoutState.Pending, Description = "Bench",
            CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddMinutes(30),
        }).ToList();
        db.Checkouts.AddRange(checkouts);
        db.CheckoutDocuments.AddRange(checkouts.Zip(documents, (c, d) => new CheckoutDocument { CheckoutId = c.Id, DocumentId = d.Id, Amount = d.Balance }));
        await db.SaveChangesAsync();
        return checkouts;
    }
}
