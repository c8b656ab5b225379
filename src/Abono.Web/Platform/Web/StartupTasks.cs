namespace Abono.Web.Platform.Web;

/// <summary>
/// Work a module needs done once at start, after migrations and before requests (demo data, switching off methods
/// whose gateway is missing, granting configured operators). Every task must be idempotent: every instance runs it.
/// </summary>
/// <param name="Order">Tasks run in ascending order (demo data first, so the checks after it see its rows).</param>
public sealed record StartupTask(string Name, int Order, Func<WebApplication, Task> RunAsync);

public static class StartupTaskExtensions
{
    public static IServiceCollection AddStartupTask(this IServiceCollection services, string name, int order, Func<WebApplication, Task> run) =>
        services.AddSingleton(new StartupTask(name, order, run));

    public static async Task RunStartupTasksAsync(this WebApplication app)
    {
        foreach (var task in app.Services.GetServices<StartupTask>().OrderBy(t => t.Order))
        {
            await task.RunAsync(app);
        }
    }
}
