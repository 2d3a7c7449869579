using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Models;

namespace TagOlym.Core.Tracking;

/// <summary>
/// A training run as the anchor logs it, on any <see cref="ITrackingStore"/>: the training args as params, each
/// split's overall (weighted) precision/recall/F1 as metrics (<c>train_f1</c>, <c>val_precision</c>, ...), and as
/// artifacts <c>args.json</c>, <c>metrics/&lt;split&gt;.json</c>, the evaluation report <c>report.html</c> and the model under <c>model/</c> with its
/// <c>MLmodel</c> descriptor; registering makes the run's <c>model/</c> the next version of a registered model.
/// </summary>
public static class TrainingRuns
{
    public const string DefaultExperiment = "tagolym";

    /// <summary>MLflow's variable for the experiment runs go to when none is named.</summary>
    public const string ExperimentNameVariable = "MLFLOW_EXPERIMENT_NAME";

    /// <summary><c>MLFLOW_EXPERIMENT_NAME</c>, else <see cref="DefaultExperiment"/>.</summary>
    public static string ExperimentFromEnvironment() =>
        Environment.GetEnvironmentVariable(ExperimentNameVariable) is { Length: > 0 } name ? name : DefaultExperiment;
    public const string DefaultModelName = "tagolym";
    public const string ModelArtifactPath = "model";

    /// <summary>The HTML evaluation report of a training, at the artifacts' root (MLflow's UI shows it).</summary>
    public const string ReportArtifactPath = "report.html";
    public const string ChampionAlias = "champion";

    /// <summary>The experiment's id, created when missing (a concurrent creator is tolerated).</summary>
    public static async Task<string> GetOrCreateExperimentAsync(ITrackingStore store, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            return (await store.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)).ExperimentId;
        }
        catch (ResourceDoesNotExistException)
        {
            try
            {
                return await store.CreateExperimentAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceAlreadyExistsException)
            {
                return (await store.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)).ExperimentId;
            }
        }
    }

    /// <summary>Starts a run in the experiment (created if missing), tagged with the user and the source as MLflow does.</summary>
    public static async Task<RunInfo> StartAsync(ITrackingStore store, string experimentName, string? runName, string sourceName = "tagolym train", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var experimentId = await GetOrCreateExperimentAsync(store, experimentName, cancellationToken).ConfigureAwait(false);
        var tags = new Dictionary<string, string>
        {
            [MlflowTags.User] = Environment.UserName,
            [MlflowTags.SourceName] = sourceName,
            [MlflowTags.SourceType] = "LOCAL",
        };
        if (GitCommit.Of(Environment.CurrentDirectory) is { } commit)
        {
            tags[MlflowTags.GitCommit] = commit;
        }

        return await store.CreateRunAsync(experimentId, runName, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), tags, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The args as MLflow params, written as the anchor's Python logs them (<c>str(value)</c>): strings as they
    /// are, null as <c>None</c>, booleans as <c>True</c>/<c>False</c>, integers as integers, other numbers as Python's
    /// float (<c>3e-06</c>, <c>0.0</c>), lists and objects as JSON.</summary>
    public static Dictionary<string, string> Params(JsonObject args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.ToDictionary(
            p => p.Key,
            p => p.Value switch
            {
                null => "None",
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonValue v when v.TryGetValue<bool>(out var b) => b ? "True" : "False",
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => PythonNumber(v),
                var other => other.ToJsonString(),
            },
            StringComparer.Ordinal);
    }

    /// <summary>An integer stays an integer (<c>2</c>); any other number is a Python float (<c>0.0</c>, <c>3e-06</c>).</summary>
    private static string PythonNumber(JsonValue value)
    {
        // parsed JSON keeps its text (2 or 2.0); a value built in code keeps its .NET type (int or double)
        var text = value.ToJsonString();
        var integral = value.TryGetValue<JsonElement>(out _)
            ? text.All(c => char.IsAsciiDigit(c) || c == '-')
            : value.TryGetValue<int>(out _) || value.TryGetValue<long>(out _);
        return integral ? text : PythonFormat.Repr(value.GetValue<double>());
    }

    /// <summary>Logs a trained model's params (its training arguments), metrics and artifacts into the run (the caller
    /// ends the run), and the model as MLflow's <c>log_model</c> records it (<c>mlflow.log-model.history</c>).</summary>
    /// <param name="splitMetrics">The model's metrics by split name (<c>train</c>, <c>val</c>, <c>test</c>).</param>
    /// <param name="report">The training's evaluation report, logged as <see cref="ReportArtifactPath"/>.</param>
    public static async Task LogTrainingAsync(ITrackingStore store, string runId, TagModel model, IReadOnlyDictionary<string, EvaluationReport> splitMetrics, ReportInput? report = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(splitMetrics);
        var args = model.Args;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = splitMetrics.SelectMany(split => new[]
        {
            new Metric($"{split.Key}_precision", split.Value.Overall.Precision, now, 0),
            new Metric($"{split.Key}_recall", split.Value.Overall.Recall, now, 0),
            new Metric($"{split.Key}_f1", split.Value.Overall.F1, now, 0),
        }).ToList();
        await store.LogBatchAsync(runId, metrics, Params(args.ToJson()), cancellationToken: cancellationToken).ConfigureAwait(false);

        var staging = Path.Combine(Path.GetTempPath(), "tagolym-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var files = new List<(string Local, string ArtifactPath)>();
            var argsFile = Path.Combine(staging, "args.json");
            AtomicFile.WriteAllText(argsFile, args.ToJson().ToJsonString(new() { WriteIndented = true }));
            files.Add((argsFile, "args.json"));
            foreach (var (split, splitReport) in splitMetrics)
            {
                var file = Path.Combine(staging, $"{split}.json");
                AtomicFile.WriteAllText(file, splitReport.ToJson());
                files.Add((file, $"metrics/{split}.json"));
            }

            if (report is not null)
            {
                var reportFile = Path.Combine(staging, ReportArtifactPath);
                HtmlReport.Write(reportFile, report);
                files.Add((reportFile, ReportArtifactPath));
            }

            var modelFile = Path.Combine(staging, ModelDescriptor.DefaultModelFile);
            model.Save(modelFile);
            files.Add((modelFile, $"{ModelArtifactPath}/{ModelDescriptor.DefaultModelFile}"));
            var described = Describe(model, runId);
            var descriptor = Path.Combine(staging, ModelDescriptor.FileName);
            AtomicFile.WriteAllText(descriptor, described.ToYaml());
            files.Add((descriptor, $"{ModelArtifactPath}/{ModelDescriptor.FileName}"));
            foreach (var (local, artifactPath) in files)
            {
                await store.LogArtifactAsync(runId, local, artifactPath, cancellationToken).ConfigureAwait(false);
            }

            await store.LogModelAsync(runId, described, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Logs the training data as the run's dataset input (<see cref="TrainingDataset"/>), so that the MLflow UI
    /// shows what trained the run; nothing when the data's source is unknown.</summary>
    public static async Task LogTrainingDataAsync(ITrackingStore store, string runId, TagModel model, ValidationReport validation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (TrainingDataset(model, validation) is { } dataset)
        {
            await store.LogInputsAsync(runId, [dataset], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The training data as MLflow's dataset input: named after the data file, its digest the first 8 hex digits of
    /// the model's data fingerprint (ids and labels of the training rows), a <c>local</c> source with the file's URI,
    /// and a profile with the rows read; tagged <c>mlflow.data.context: training</c>. Null when the source is unknown.
    /// </summary>
    public static DatasetInput? TrainingDataset(TagModel model, ValidationReport validation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(validation);
        if (validation.Source is not { Length: > 0 } source)
        {
            return null;
        }

        var path = Path.GetFullPath(source);
        var digest = model.Manifest.DataFingerprint is { Length: >= 8 } fingerprint ? fingerprint[..8] : "00000000";
        return new DatasetInput(
            Path.GetFileName(path),
            digest,
            "local",
            new JsonObject { ["uri"] = new Uri(path).AbsoluteUri }.ToJsonString(),
            null,
            new JsonObject { ["num_rows"] = validation.RowsRead }.ToJsonString(),
            new Dictionary<string, string> { [MlflowTags.DatasetContext] = "training" });
    }

    public static ModelDescriptor Describe(TagModel model, string? runId)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelDescriptor(ModelArtifactPath, ModelDescriptor.DefaultModelFile, model.Manifest.FormatVersion, model.Labels, runId, TagOlymVersion, DateTime.UtcNow);
    }

    public static string TagOlymVersion { get; } =
        typeof(TrainingRuns).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Registers the run's <c>model/</c> as the next version of <paramref name="modelName"/> (created if missing).</summary>
    public static async Task<ModelVersion> RegisterAsync(ITrackingStore store, string runId, string modelName = DefaultModelName, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        var hasModel = (await store.ListArtifactsAsync(runId, ModelArtifactPath, cancellationToken).ConfigureAwait(false))
            .Any(e => e.Path.EndsWith("/" + ModelDescriptor.FileName, StringComparison.Ordinal) || e.Path == ModelDescriptor.FileName);
        if (!hasModel)
        {
            throw new InvalidParameterValueException($"run {runId} has no {ModelArtifactPath}/{ModelDescriptor.FileName}: it logged no TagOlym model");
        }

        try
        {
            await store.CreateRegisteredModelAsync(modelName, "TagOlym tag suggester", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceAlreadyExistsException)
        {
            // registered before: add a version
        }

        var source = run.Info.ArtifactUri.TrimEnd('/') + "/" + ModelArtifactPath;
        return await store.CreateModelVersionAsync(modelName, source, runId, description, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points the <c>champion</c> alias at a version.</summary>
    public static async Task<ModelVersion> PromoteAsync(ITrackingStore store, string modelName, string version, string aliasName = ChampionAlias, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await store.GetModelVersionAsync(modelName, version, cancellationToken).ConfigureAwait(false);
        await store.SetAliasAsync(modelName, aliasName, version, cancellationToken).ConfigureAwait(false);
        return await store.GetModelVersionAsync(modelName, version, cancellationToken).ConfigureAwait(false);
    }
}
