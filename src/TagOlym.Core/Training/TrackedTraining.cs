using TagOlym.Core.Tracking;

namespace TagOlym.Core.Training;

/// <summary>Where and how a training is tracked.</summary>
/// <param name="Store">The tracking store (a local MLflow file store or an MLflow server).</param>
/// <param name="Experiment">The experiment the run goes to, created when missing.</param>
/// <param name="RunName">The run's name.</param>
/// <param name="SourceName">What started the run (MLflow's <c>mlflow.source.name</c>), e.g. <c>tagolym train</c>.</param>
public sealed record TrackingTarget(ITrackingStore Store, string Experiment, string RunName, string SourceName)
{
    /// <summary>Register the logged model as the next version of this registered model.</summary>
    public string? RegisterAs { get; init; }

    /// <summary>And point this alias (e.g. <c>champion</c>) at the new version.</summary>
    public string? PromoteTo { get; init; }

    /// <summary>The registered version's description.</summary>
    public string? Description { get; init; }
}

/// <summary>A tracked training: its result, its run and, when registered, its model version.</summary>
public sealed record TrackedResult(TrainingResult Training, RunInfo Run, ModelVersion? Version);

/// <summary>
/// Step 10 of the flow, the one tracked-training routine of <c>train</c>, <c>optimize</c>, <c>retrain</c> and the
/// service's first run: start a run, train, log params, metrics and artifacts (the model under <c>model/</c>, the evaluation report as <c>report.html</c>),
/// mark the run FINISHED, register the model and promote it when asked. A training that fails marks its run
/// FAILED, one that is cancelled KILLED, and nothing is registered.
/// </summary>
public static class TrackedTraining
{
    /// <param name="train">The training itself, e.g. <c>() =&gt; TrainingFlow.Train(request, progress, token)</c>.</param>
    public static async Task<TrackedResult> RunAsync(TrackingTarget target, Func<TrainingResult> train, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(train);
        var store = target.Store;

        // the run starts first, so that an unreachable server fails before the training does, and a failed training is on record
        var run = await TrainingRuns.StartAsync(store, target.Experiment, target.RunName, target.SourceName, cancellationToken).ConfigureAwait(false);
        TrainingResult result;
        try
        {
            result = await Task.Run(train, cancellationToken).ConfigureAwait(false);
            await TrainingRuns.LogTrainingAsync(store, run.RunId, result.Model, result.Metrics, result.Report, cancellationToken).ConfigureAwait(false);
            await TrainingRuns.LogTrainingDataAsync(store, run.RunId, result.Model, result.Validation, cancellationToken).ConfigureAwait(false);
            run = await store.UpdateRunAsync(run.RunId, RunStatus.Finished, Now(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await MarkEndedAsync(store, run.RunId, e is OperationCanceledException ? RunStatus.Killed : RunStatus.Failed).ConfigureAwait(false);
            throw;
        }

        if (target.RegisterAs is not { } modelName)
        {
            return new TrackedResult(result, run, null);
        }

        var version = await TrainingRuns.RegisterAsync(store, run.RunId, modelName, target.Description, cancellationToken).ConfigureAwait(false);
        if (target.PromoteTo is { } alias)
        {
            version = await TrainingRuns.PromoteAsync(store, modelName, version.Version, alias, cancellationToken).ConfigureAwait(false);
        }

        return new TrackedResult(result, run, version);
    }

    /// <summary>Best effort: the training's own error is the one to report.</summary>
    private static async Task MarkEndedAsync(ITrackingStore store, string runId, RunStatus status)
    {
        try
        {
            await store.UpdateRunAsync(runId, status, Now(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MlflowException or HttpRequestException or IOException)
        {
            // the store is what failed: the training's exception, rethrown by the caller, says more
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
