using Microsoft.Extensions.Options;
namespace TagOlym.Web.Serving;

/// <summary>What a reload did.</summary>
public enum ReloadOutcome
{
    /// <summary>A new model passed the probe and serves now.</summary>
    Swapped,

    /// <summary>The source holds the model already serving.</summary>
    Unchanged,

    /// <summary>The new model failed to load or to answer the probe; the previous one keeps serving.</summary>
    Refused,
}

public sealed record ReloadResult(ReloadOutcome Outcome, ServedModel? Serving, ServedModel? Previous, string? Error);

/// <summary>
/// Loads the source's model, probes it and swaps it in; one reload at a time. A model that fails to load or to
/// answer the probe is refused with an error in the log, and the model already serving stays.
/// </summary>
public sealed partial class ModelManager(
    IModelSource source,
    CurrentModel current,
    IOptions<ModelOptions> options,
    ILogger<ModelManager> logger) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? refusedStamp;

    public IModelSource Source => source;

    /// <summary>Reloads when the source's stamp changed (or always, with <paramref name="force"/>).</summary>
    public async Task<ReloadResult> ReloadAsync(bool force, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var serving = current.Serving;
            var stamp = await source.GetStampAsync(cancellationToken).ConfigureAwait(false);
            if (!force && (stamp is null || stamp == serving?.Stamp || stamp == refusedStamp))
            {
                // nothing new, or the file that was already refused: say it once, not at every poll
                return new ReloadResult(ReloadOutcome.Unchanged, serving, serving, null);
            }

            ServedModel candidate;
            try
            {
                candidate = await Task.Run(async () => await source.LoadAsync(cancellationToken).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
            }
#pragma warning disable CA1031 // whatever breaks loading, the model is refused and the old one keeps serving
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                return Refuse(stamp, serving, e.Message, e);
            }

            if (ModelProbe.Check(candidate, options.Value.ProbePost) is { } problem)
            {
                return Refuse(stamp, serving, problem, null);
            }

            refusedStamp = null;
            var previous = current.Swap(candidate);
            LogSwapped(candidate.Identity.Name, candidate.Identity.Version, source.Location, candidate.Model.Labels.Count,
                previous?.Identity.Version ?? "none");
            return new ReloadResult(ReloadOutcome.Swapped, candidate, previous, null);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private ReloadResult Refuse(string? stamp, ServedModel? serving, string reason, Exception? exception)
    {
        refusedStamp = stamp;
        LogRefused(exception, source.Location, reason, serving?.Identity.Version ?? "none");
        return new ReloadResult(ReloadOutcome.Refused, serving, serving, reason);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Model {ModelName} {ModelVersion} from {ModelSource} ({LabelCount} labels) passed the probe and serves now (was {PreviousVersion})")]
    private partial void LogSwapped(string modelName, string modelVersion, string modelSource, int labelCount, string previousVersion);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Model from {ModelSource} refused: {Reason}; still serving {ServingVersion}")]
    private partial void LogRefused(Exception? exception, string modelSource, string reason, string servingVersion);
}
