using Microsoft.Extensions.Options;

namespace TagOlym.Web.Serving;

/// <summary>
/// Brings the models into service (training a first default model from the sample on a fresh clone) without holding
/// up start-up, then checks every model's source every <c>Model:PollInterval</c> and swaps in whatever new model passes
/// the probe. Each model is loaded and swapped on its own: one that fails leaves the others serving.
/// </summary>
public sealed partial class ModelWatcher(
    ModelCatalog catalog,
    ModelBootstrapper bootstrapper,
    IOptions<ModelOptions> options,
    TimeProvider clock,
    ILogger<ModelWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await GuardedAsync(catalog.Default, () => Task.Run(() => bootstrapper.EnsureModelAsync(stoppingToken), stoppingToken), "training a first model")
                .ConfigureAwait(false);
            await ReloadAllAsync(force: true, "loading the model", stoppingToken).ConfigureAwait(false);

            var interval = options.Value.PollInterval;
            if (interval <= TimeSpan.Zero)
            {
                return;
            }

            using var timer = new PeriodicTimer(interval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await ReloadAllAsync(force: false, "checking for a new model", stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private Task ReloadAllAsync(bool force, string what, CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.All.Select(slot => GuardedAsync(slot, () => slot.Manager.ReloadAsync(force, stoppingToken), what)));

    /// <summary>Runs one step; a failure is logged and the watcher goes on (the service keeps answering, 503 until a model serves).</summary>
    private async Task GuardedAsync(ModelSlot slot, Func<Task> step, string what)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // nothing may stop the watcher but shutdown
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogFailed(e, what, slot.Key, slot.Source.Location);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed {Step} of model {ModelKey} from {ModelSource}")]
    private partial void LogFailed(Exception exception, string step, string modelKey, string modelSource);
}
