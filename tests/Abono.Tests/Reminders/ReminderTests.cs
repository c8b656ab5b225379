using Abono.Web.Features.Collections;
using Abono.Web.Features.Reminders;
using Abono.Web.Platform.Chile;

namespace Abono.Tests.Reminders;

/// <summary>Sixty simulated days of reminders with a fake clock: schedule, payments, a pending checkout, downtime and catch-up.</summary>
public class ReminderTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    [Fact]
    public async Task Sixty_days_send_one_email_per_customer_per_reminder_date_and_catch_up_after_downtime()
    {
        // Documents due on day 10, 20 and 30; default schedule −3, 0, +7, +30.
        var s = await PortalScenario.CreateAsync(factory, documents: 3);
        var start = ChileFormats.Today(factory.Clock);
        var job = factory.Services.GetRequiredService<ReminderJob>();
        await job.RunAsync();

        for (var day = 1; day <= 60; day++)
        {
            factory.Clock.Advance(TimeSpan.FromDays(1));
            if (day is >= 25 and <= 29)
            {
                continue;   // the app was down
            }
            await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
            {
                if (day == 18)
                {
                    // The second document gets paid: no more reminders for it.
                    await scope.Db.Documents.Where(d => d.Id == s.DocumentIds[1]).ExecuteUpdateAsync(x => x.SetProperty(d => d.Balance, 0L));
                }
                if (day == 37)
                {
                    // A payment for the third document is in process right now.
                    scope.Db.DocumentPaymentLocks.Add(new DocumentPaymentLock { DocumentId = s.DocumentIds[2], CheckoutId = Guid.NewGuid(), ExpiresAt = factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(10) });
                    await scope.Db.SaveChangesAsync();
                }
                if (day == 38)
                {
                    await scope.Db.DocumentPaymentLocks.ExecuteDeleteAsync();
                }
            }
            // Two instances (or a retry) at once change nothing.
            await Task.WhenAll(job.RunAsync(), job.RunAsync(), job.RunAsync());
        }

        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        var days = (await check.Db.ReminderLogs.Where(l => l.CustomerId == s.CustomerId).Select(l => l.ReminderDate).ToListAsync())
            .Select(d => d.DayNumber - start.DayNumber).Order().ToList();
        Assert.Equal([7, 10, 17, 27, 30, 40, 60], days);

        var emails = await check.Db.Outbox.Where(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("Recordatorio de pago")).ToListAsync();
        Assert.Equal(7, emails.Count);
        Assert.All(emails, e => Assert.Contains("/portal/c/", e.Payload));
        Assert.All(emails, e => Assert.Contains("/recordatorios/baja/", e.Payload));

        // The unsubscribe link in the last email turns reminders off for that customer.
        var last = System.Text.Json.JsonSerializer.Deserialize<Abono.Web.Platform.Outbox.EmailMessage>(emails.OrderBy(e => e.Id).Last().Payload)!;
        var link = System.Text.RegularExpressions.Regex.Match(last.TextBody, @"/recordatorios/baja/\S+").Value;
        var client = factory.CreateAppClient();
        var done = await client.FillAsync(link, new Dictionary<string, string?>());
        Assert.Contains("Ya no te enviaremos recordatorios", done.Text);
        Assert.False((await check.Db.Customers.AsNoTracking().SingleAsync(c => c.Id == s.CustomerId)).RemindersEnabled);
        Assert.Contains("Enlace no válido", (await client.GetAsync("/recordatorios/baja/inventado")).Text);
    }
}

/// <summary>Its own app and clock: the test moves the clock by days, which the sixty-day test must not see.</summary>
public class ReminderPortalRuleTests(ClockFactory factory) : IClassFixture<ClockFactory>
{
    [Fact]
    public async Task A_portal_cancelled_past_its_end_date_sends_no_reminders()
    {
        var s = await PortalScenario.CreateAsync(factory, documents: 1);
        await using (var scope = factory.ScopeFor(s.Merchant.CompanyId))
        {
            var today = ChileFormats.Today(factory.Clock);
            await scope.Db.Subscriptions.ExecuteUpdateAsync(x => x
                .SetProperty(sub => sub.Status, Abono.Web.Features.Billing.SubscriptionStatus.Cancelling)
                .SetProperty(sub => sub.EndsOn, (DateOnly?)today));
        }
        var job = factory.Services.GetRequiredService<ReminderJob>();
        for (var day = 0; day <= 12; day++)
        {
            await job.RunAsync();
            factory.Clock.Advance(TimeSpan.FromDays(1));
        }
        await using var check = factory.ScopeFor(s.Merchant.CompanyId);
        Assert.Equal(0, await check.Db.ReminderLogs.CountAsync());
        Assert.False(await check.Db.Outbox.AnyAsync(m => m.CompanyId == s.Merchant.CompanyId && m.Payload.Contains("Recordatorio")));
    }
}
