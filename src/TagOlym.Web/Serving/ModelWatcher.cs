using Microsoft.Extensions.Options;

namespace TagOlym.Web.Serving;

/// <summary>
/// Brings the first model into service (training one from the sample on a fresh clone) without holding up start-up,
/// then checks the source every <c>Model:PollInterval</c> and swaps in whatever new model passes the probe.
/// </summary>
public sealed partial class ModelWatcher(
    ModelManager manager,
    ModelBootstrapper bootstrapper,
    IOptions<ModelOptions> options,
    TimeProvider clock,
    ILogger<ModelWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await GuardedAsync(() => Task.Run(() => bootstrapper.EnsureModelAsync(stoppingToken), stoppingToken), "training a first model").ConfigureAwait(false);
            await GuardedAsync(() => manager.ReloadAsync(force: true, stoppingToken), "loading the model").ConfigureAwait(false);

            var interval = options.Value.PollInterval;
            if (interval <= TimeSpan.Zero)
            {
                return;
            }

            using var timer = new PeriodicTimer(interval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await GuardedAsync(() => manager.ReloadAsync(force: false, stoppingToken), "checking for a new model").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>Runs one step; a failure is logged and the watcher goes on (the service keeps answering, 503 until a model serves).</summary>
    private async Task GuardedAsync(Func<Task> step, string what)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // nothing may stop the watcher but shutdown
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogFailed(e, what, manager.Source.Location);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed {Step} from {ModelSource}")]
    private partial void LogFailed(Exception exception, string step, string modelSource);
}
