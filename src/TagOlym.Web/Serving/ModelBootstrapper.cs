using System.Diagnostics;
using Microsoft.Extensions.Options;
using TagOlym.Core.Learning;
using TagOlym.Core.Tracking;

namespace TagOlym.Web.Serving;

/// <summary>
/// First run on a fresh clone: when there is no model yet, trains one from the shipped sample
/// (<c>Model:Bootstrap:Data</c>) with <c>Model:Bootstrap:Args</c> (or the built-in arguments) and says so. For a model
/// file it saves the model there; for a registry alias (<c>models:/tagolym@champion</c>) or <c>models:/NAME/latest</c>
/// it logs the training as a run in the tracking store, registers the model as the next version and, for an alias,
/// points the alias at that version. A fixed version or a run is never made up.
/// </summary>
public sealed partial class ModelBootstrapper(
    IModelSource source,
    ServicePaths paths,
    IOptions<ModelOptions> options,
    ILogger<ModelBootstrapper> logger)
{
    /// <summary>The arguments of <c>config/args_best.json</c>, used when that file is not there.</summary>
    public const string BuiltInArgs = """
        {"nocommand": false, "stem": true, "title_weight": 2, "ngram_max": 2, "min_df": 2, "sublinear_tf": true,
         "loss": "log_loss", "alpha": 3e-6, "l1_ratio": 0.0, "learning_rate": "optimal", "class_weight": null,
         "early_stopping": false, "max_iter": 25, "tol": null, "average": true}
        """;

    /// <summary>Trains a first model when the source holds none and bootstrapping is on; true when it did.</summary>
    public async Task<bool> EnsureModelAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Bootstrap.Enabled)
        {
            return false;
        }

        return source switch
        {
            FileModelSource file => EnsureFile(file, cancellationToken),
            RegistryModelSource registry => await EnsureRegisteredAsync(registry, cancellationToken).ConfigureAwait(false),
            _ => false,
        };
    }

    private bool EnsureFile(FileModelSource file, CancellationToken cancellationToken)
    {
        if (File.Exists(file.FullPath) || Prepare($"model file at {file.FullPath}", cancellationToken) is not { } training)
        {
            return false;
        }

        var (result, seconds) = Train(training, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(file.FullPath)!);
        result.Model.Save(file.FullPath);
        var testF1 = TestF1(result);
        LogTrained(file.FullPath, result.Model.Manifest.TrainingRows, testF1, seconds);
        return true;
    }

    private async Task<bool> EnsureRegisteredAsync(RegistryModelSource registry, CancellationToken cancellationToken)
    {
        if (!registry.FollowsRegistry || await registry.FindVersionAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        var store = registry.Registry.Store;
        var what = registry.Uri.Alias is { } wanted
            ? $"{wanted} for {registry.Location} in {store.Location}"
            : $"version of {registry.Location} in {store.Location}";
        if (Prepare(what, cancellationToken) is not { } training)
        {
            return false;
        }

        // the run starts first, so that an unreachable server fails before the training, and a failed training is marked FAILED
        var run = await TrainingRuns.StartAsync(store, registry.Registry.Experiment, $"bootstrap-{DateTime.UtcNow:yyyyMMdd-HHmmss}",
            "tagolym web bootstrap", cancellationToken).ConfigureAwait(false);
        TrainingResult result;
        double seconds;
        try
        {
            (result, seconds) = await Task.Run(() => Train(training, cancellationToken), cancellationToken).ConfigureAwait(false);
            await TrainingRuns.LogTrainingAsync(store, run.RunId, training.Args, result, cancellationToken).ConfigureAwait(false);
            await store.UpdateRunAsync(run.RunId, RunStatus.Finished, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // shutting down mid-training is KILLED, anything else FAILED
            await MarkEndedAsync(store, run.RunId, e is OperationCanceledException ? RunStatus.Killed : RunStatus.Failed).ConfigureAwait(false);
            throw;
        }

        var modelName = registry.Uri.NameOrRunId;
        var version = await TrainingRuns.RegisterAsync(store, run.RunId, modelName, "first model, trained by the web service from its sample",
            cancellationToken).ConfigureAwait(false);
        if (registry.Uri.Alias is { } alias)
        {
            await TrainingRuns.PromoteAsync(store, modelName, version.Version, alias, cancellationToken).ConfigureAwait(false);
        }

        var testF1 = TestF1(result);
        var promotion = registry.Uri.Alias is { } promoted ? $" and promoted it to {promoted}" : "";
        LogRegistered(result.Model.Manifest.TrainingRows, testF1, seconds, run.RunId, store.Location, modelName, version.Version, promotion);
        return true;
    }

    /// <summary>Best effort: the training's own error is the one that matters.</summary>
    private async Task MarkEndedAsync(ITrackingStore store, string runId, RunStatus status)
    {
        try
        {
            await store.UpdateRunAsync(runId, status, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MlflowException or HttpRequestException or IOException)
        {
            LogNotMarkedEnded(e, runId, status);
        }
    }

    private sealed record Training(string Data, TrainingArgs Args);

    /// <summary>The sample and the arguments, or null (with a warning) when the sample is not there.</summary>
    private Training? Prepare(string missing, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = options.Value.Bootstrap;
        var data = paths.Resolve(settings.Data);
        if (!File.Exists(data))
        {
            LogNoSample(missing, data);
            return null;
        }

        var argsPath = paths.Resolve(settings.Args);
        var args = File.Exists(argsPath) ? TrainingArgs.Load(argsPath) : TrainingArgs.Parse(BuiltInArgs, "built-in arguments");
        LogTraining(missing, data, File.Exists(argsPath) ? argsPath : "built-in arguments");
        return new Training(data, args);
    }

    private static (TrainingResult Result, double Seconds) Train(Training training, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var result = TrainingPipeline.Train(new TrainingRequest(training.Data, training.Args) { Split = SplitMethod.Stratified }, cancellationToken: cancellationToken);
        return (result, watch.Elapsed.TotalSeconds);
    }

    private static double TestF1(TrainingResult result) => result.Metrics.TryGetValue("test", out var test) ? test.Overall.F1 : double.NaN;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No {MissingModel} and no sample data at {SampleData} to train one: the service is not ready until a model appears")]
    private partial void LogNoSample(string missingModel, string sampleData);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No {MissingModel}: training a first model from the sample {SampleData} with {TrainingArgs}")]
    private partial void LogTraining(string missingModel, string sampleData, string trainingArgs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Trained a first model on {TrainingRows} posts (test weighted F1 {TestF1:0.000}) in {Seconds:0.0} s and saved it to {ModelPath}")]
    private partial void LogTrained(string modelPath, int trainingRows, double testF1, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bootstrap run {RunId} could not be marked {RunStatus}")]
    private partial void LogNotMarkedEnded(Exception exception, string runId, RunStatus runStatus);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Trained a first model on {TrainingRows} posts (test weighted F1 {TestF1:0.000}) in {Seconds:0.0} s, logged it as run {RunId} in {TrackingStore}, registered it as {ModelName} version {ModelVersion}{Promotion}")]
    private partial void LogRegistered(int trainingRows, double testF1, double seconds, string runId, string trackingStore, string modelName, string modelVersion, string promotion);
}
