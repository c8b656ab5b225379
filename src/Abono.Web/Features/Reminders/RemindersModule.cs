namespace Abono.Web.Features.Reminders;

/// <summary>Recordatorios: emails before and after due dates, their settings and the unsubscribe link.</summary>
public static class RemindersModule
{
    public static IHostApplicationBuilder AddReminders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReminderJob>();
        builder.Services.AddHostedService<ReminderWorker>();
        return builder;
    }
}
