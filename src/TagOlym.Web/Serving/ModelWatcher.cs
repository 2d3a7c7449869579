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
            await Task.Run(() => bootstrapper.EnsureModel(stoppingToken), stoppingToken).ConfigureAwait(false);
            await manager.ReloadAsync(force: true, stoppingToken).ConfigureAwait(false);

            var interval = options.Value.PollInterval;
            if (interval <= TimeSpan.Zero)
            {
                return;
            }

            using var timer = new PeriodicTimer(interval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await manager.ReloadAsync(force: false, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
#pragma warning disable CA1031 // a failure here must not stop the host: the service keeps answering (503 until a model serves)
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(e, manager.Source.Location);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading models from {ModelSource} stopped")]
    private partial void LogFailed(Exception exception, string modelSource);
}
