using Abono.Web.Data;
using Abono.Web.Features.CustomerLinks;
using Abono.Web.Features.Documents;
using Abono.Web.Features.PortalSettings;
using Abono.Web.Platform.Chile;
using Abono.Web.Platform.Email;
using Abono.Web.Platform.Outbox;
using Abono.Web.Platform.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Abono.Web.Features.Reminders;

/// <summary>
/// Payment reminders. For every day not yet processed (so missed days are caught up), each company's day is claimed
/// with a guarded update of LastRunDate, then each customer with a document due at one of the schedule's offsets gets
/// one email (a ReminderLog row unique per customer and day guards it) listing what is due, with their portal link.
/// Documents already paid, with a payment in process, ceded or claimed are left out; customers who unsubscribed get nothing.
/// </summary>
public sealed class ReminderJob(IServiceScopeFactory scopes, TimeProvider clock, IDataProtectionProvider protection, ILogger<ReminderJob> logger)
{
    public const int MaxCatchUpDays = 45;
    private readonly IDataProtector _unsubscribe = protection.CreateProtector("Abono.Reminders.Unsubscribe.v1");

    public string UnsubscribeToken(Guid companyId, long customerId) => _unsubscribe.Protect($"{companyId:N}:{customerId}");

    public (Guid CompanyId, long CustomerId)? ReadUnsubscribeToken(string? token)
    {
        // Binding turns a blank token (a form field "token=" outranks the route's) into null.
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }
        try
        {
            var parts = _unsubscribe.Unprotect(token).Split(':');
            return (Guid.Parse(parts[0]), long.Parse(parts[1]));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var today = ChileFormats.Today(clock);
        List<Guid> companies;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
            // The one "portal open today" rule (this copy had drifted: a cancelled portal past its end kept sending reminders).
            companies = await Portal.PortalAccess.OpenOn(db.Subscriptions.IgnoreQueryFilters(), today)
                .Select(s => s.CompanyId).ToListAsync(ct);
        }
        var sent = 0;
        foreach (var companyId in companies)
        {
            sent += await RunCompanyAsync(companyId, today, ct);
        }
        return sent;
    }

    private async Task<int> RunCompanyAsync(Guid companyId, DateOnly today, CancellationToken ct)
    {
        var sent = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(companyId);
            var db = scope.ServiceProvider.GetRequiredService<AbonoDbContext>();
            var settings = await db.ReminderSettings.SingleOrDefaultAsync(ct);
            if (settings is null)
            {
                settings = new ReminderSettings { LastRunDate = today.AddDays(-1) };
                db.ReminderSettings.Add(settings);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
                {
                    continue;
                }
            }
            var previous = settings.LastRunDate ?? today.AddDays(-1);
            if (previous >= today)
            {
                return sent;
            }
            var day = previous.AddDays(1) < today.AddDays(-MaxCatchUpDays) ? today.AddDays(-MaxCatchUpDays) : previous.AddDays(1);
            // Claim the day: only the caller that moves LastRunDate from `previous` processes it.
            var claimed = await db.ReminderSettings.Where(r => r.LastRunDate == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastRunDate, day), ct);
            if (claimed == 0)
            {
                continue;
            }
            if (settings.Enabled)
            {
                sent += await SendForDayAsync(scope.ServiceProvider, db, companyId, settings.OffsetList, day, ct);
            }
        }
    }

    private async Task<int> SendForDayAsync(IServiceProvider services, AbonoDbContext db, Guid companyId, int[] offsets, DateOnly day, CancellationToken ct)
    {
        var dueDates = offsets.Select(o => day.AddDays(-o)).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Documents.AsNoTracking()
            .Where(d => d.Balance > 0 && d.Type != DocumentType.NotaCredito && d.CustomerId != null && dueDates.Contains(d.DueDate)
                && !db.DocumentPaymentLocks.Any(l => l.DocumentId == d.Id))
            .Where(DocumentCollection.Collectible)
            .Select(d => d.CustomerId!.Value).Distinct().ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }
        var portal = await db.PortalConfigurations.AsNoTracking().SingleOrDefaultAsync(ct);
        if (portal is null)
        {
            return 0;
        }
        var links = services.GetRequiredService<CustomerPortalLinks>();
        var urls = services.GetRequiredService<Platform.Web.AppUrls>();
        var mail = await BrandedEmail.LoadAsync(db, companyId, ct) ?? throw new InvalidOperationException("The company is missing.");
        var sent = 0;
        foreach (var customerId in due)
        {
            var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId, ct);
            if (!customer.RemindersEnabled || string.IsNullOrEmpty(customer.Email))
            {
                continue;
            }
            // What the customer owes in full, so one email says everything even when several documents are due.
            // Ceded and claimed facturas are not the business's to chase (DocumentCollection).
            var owed = await db.Documents.AsNoTracking().Where(d => d.CustomerId == customerId && d.Balance > 0 && d.Type != DocumentType.NotaCredito)
                .Where(DocumentCollection.Collectible)
                .OrderBy(d => d.DueDate).ToListAsync(ct);
            db.ReminderLogs.Add(new ReminderLog { CustomerId = customerId, ReminderDate = day, Documents = owed.Count, Amount = owed.Sum(d => d.Balance), SentAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
            {
                db.ChangeTracker.Clear();
                continue;
            }
            var (token, _) = await links.CurrentOrNewAsync(customerId, ct);
            var message = ReminderEmail.Message(mail, portal.Name, customer.Name, customer.Email, owed, day,
                payUrl: urls.Absolute($"/portal/c/{token}"),
                unsubscribeUrl: urls.Absolute($"/recordatorios/baja/{Uri.EscapeDataString(UnsubscribeToken(companyId, customerId))}"));
            db.Outbox.Add(OutboxMessage.Email(companyId, message, now));
            await db.SaveChangesAsync(ct);
            sent++;
        }
        logger.LogInformation("Reminders for {Day}: {Sent} sent for company {CompanyId}.", day, sent, companyId);
        return sent;
    }
}

public sealed class ReminderWorker(ReminderJob job, IConfiguration configuration, ILogger<ReminderWorker> logger)
    : Platform.Jobs.PeriodicWorker(configuration, logger, TimeSpan.FromHours(1), runAtStart: true)
{
    protected override Task RunOnceAsync(CancellationToken ct) => job.RunAsync(ct);
}
