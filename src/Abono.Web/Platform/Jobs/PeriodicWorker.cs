namespace Abono.Web.Platform.Jobs;

/// <summary>
/// Runs a job on a timer on every instance (Jobs:Enabled). The jobs themselves claim their work in the database,
/// so running everywhere is safe; a failed run is logged and retried at the next tick.
/// </summary>
public abstract class PeriodicWorker(IConfiguration configuration, ILogger logger, TimeSpan interval, bool runAtStart) : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Jobs:Enabled", true))
        {
            return;
        }
        using var timer = new PeriodicTimer(interval);
        if (runAtStart)
        {
            await RunSafelyAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RunSafelyAsync(stoppingToken);
        }
    }

    private async Task RunSafelyAsync(CancellationToken ct)
    {
        try
        {
            await RunOnceAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "{Worker} failed; it will run again at the next tick.", GetType().Name);
        }
    }
}
