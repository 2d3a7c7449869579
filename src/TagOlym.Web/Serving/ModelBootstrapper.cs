using Microsoft.Extensions.Options;
using TagOlym.Core.Learning;
using TagOlym.Core.Tracking;
using TagOlym.Core.Training;

namespace TagOlym.Web.Serving;

/// <summary>
/// First run on a fresh clone, in Development only: when there is no model yet, trains one from the shipped sample
/// (<c>Model:Bootstrap:Data</c>, <c>Model:Bootstrap:Args</c>) and says so. For a model file it saves the model there;
/// for <c>models:/NAME@ALIAS</c> or <c>models:/NAME/latest</c> in a local file store it runs the one tracked-training
/// routine (a run, a registered version and, for an alias, the alias moved to it). Processes that start together
/// take turns under a lock file beside the model, and each looks again once it holds the lock, so one model is made.
/// Replicas never train: in any other environment, or with a tracking server, a service without a model stays
/// not-ready and its log says why and how to provide one.
/// </summary>
public sealed partial class ModelBootstrapper(
    IModelSource source,
    ServicePaths paths,
    IOptions<ModelOptions> options,
    IHostEnvironment environment,
    ILogger<ModelBootstrapper> logger)
{
    private const string LockFileName = ".tagolym-first-model.lock";
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(200);

    /// <summary>Trains a first model when the source holds none and that is allowed here; true when it did.</summary>
    public async Task<bool> EnsureModelAsync(CancellationToken cancellationToken)
    {
        if (await source.GetStampAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        if (WhyNot() is { } reason)
        {
            LogNoModel(source.Location, reason);
            return false;
        }

        var (lockDirectory, train) = source switch
        {
            FileModelSource file => (Path.GetDirectoryName(file.FullPath)!, (Func<Training, CancellationToken, Task>)((t, c) => TrainFileAsync(file, t, c))),
            RegistryModelSource registry => (((FileTrackingStore)registry.Registry.Store).Root, (t, c) => TrainRegisteredAsync(registry, t, c)),
            _ => throw new InvalidOperationException($"no first-run training for {source.Location}"),
        };
        var training = Prepare();
        Directory.CreateDirectory(lockDirectory);
        using (await AcquireLockAsync(Path.Combine(lockDirectory, LockFileName), cancellationToken).ConfigureAwait(false))
        {
            // another process may have made the model while this one waited for the lock
            if (await source.GetStampAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }

            LogTraining(source.Location, training.Request.DataPath, training.ArgsPath);
            await train(training, cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>Why no first model may be trained here, or null when it may.</summary>
    private string? WhyNot()
    {
        if (!environment.IsDevelopment())
        {
            return $"the {environment.EnvironmentName} environment never trains (replicas serve what train jobs register)";
        }

        if (!options.Value.Bootstrap.Enabled)
        {
            return "Model:Bootstrap:Enabled is false";
        }

        return source switch
        {
            FileModelSource => null,
            RegistryModelSource { FollowsRegistry: false } => "the URI names a fixed version or run, which is never made up",
            RegistryModelSource { Registry.Store: not FileTrackingStore } => "the tracking store is a server shared by replicas",
            RegistryModelSource => null,
            _ => "the model source cannot be written",
        };
    }

    private sealed record Training(TrainingRequest Request, string ArgsPath);

    private Training Prepare()
    {
        var settings = options.Value.Bootstrap;
        var data = paths.Resolve(settings.Data);
        var args = paths.Resolve(settings.Args);
        return new Training(new TrainingRequest(data, TrainingArgs.Load(args)) { Split = SplitMethod.Stratified }, args);
    }

    private async Task TrainFileAsync(FileModelSource file, Training training, CancellationToken cancellationToken)
    {
        var result = await Task.Run(() => TrainingFlow.Train(training.Request, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        result.Model.Save(file.FullPath);
        var (testF1, seconds) = (TestF1(result), Seconds(result));
        LogTrained(file.FullPath, result.Model.Manifest.TrainingRows, testF1, seconds);
    }

    private async Task TrainRegisteredAsync(RegistryModelSource registry, Training training, CancellationToken cancellationToken)
    {
        var store = registry.Registry.Store;
        var target = new TrackingTarget(store, registry.Registry.Experiment, $"first-model-{DateTime.UtcNow:yyyyMMdd-HHmmss}", "tagolym web first run")
        {
            RegisterAs = registry.Uri.NameOrRunId,
            PromoteTo = registry.Uri.Alias,
            Description = "first model, trained by the web service from its sample (Development)",
        };
        var tracked = await TrackedTraining.RunAsync(target, () => TrainingFlow.Train(training.Request, cancellationToken: cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var result = tracked.Training;
        var (testF1, seconds) = (TestF1(result), Seconds(result));
        LogRegistered(result.Model.Manifest.TrainingRows, testF1, seconds, tracked.Run.RunId, store.Location,
            tracked.Version!.Name, tracked.Version.Version, registry.Uri.Alias is { } alias ? $" and promoted it to {alias}" : "");
    }

    /// <summary>An exclusive lock on a file, held by the returned stream; waits while another process holds it.</summary>
    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(LockRetry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static double TestF1(TrainingResult result) => result.Metrics.TryGetValue("test", out var test) ? test.Overall.F1 : double.NaN;

    private static double Seconds(TrainingResult result) => result.Timings.Sum(t => t.Elapsed.TotalSeconds);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No model at {ModelSource} and this service does not train one: {Reason}. The service is not ready until one appears: train and register one (tagolym train --register, then tagolym models promote) or point Model:Path at a model")]
    private partial void LogNoModel(string modelSource, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No model at {ModelSource}: training a first model from the sample {SampleData} with {TrainingArgs} (Development)")]
    private partial void LogTraining(string modelSource, string sampleData, string trainingArgs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Trained a first model on {TrainingRows} posts (test weighted F1 {TestF1:0.000}) in {Seconds:0.0} s and saved it to {ModelPath}")]
    private partial void LogTrained(string modelPath, int trainingRows, double testF1, double seconds);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Trained a first model on {TrainingRows} posts (test weighted F1 {TestF1:0.000}) in {Seconds:0.0} s, logged it as run {RunId} in {TrackingStore}, registered it as {ModelName} version {ModelVersion}{Promotion}")]
    private partial void LogRegistered(int trainingRows, double testF1, double seconds, string runId, string trackingStore, string modelName, string modelVersion, string promotion);
}
