namespace TagOlym.Core.Tracking;

/// <summary>An MLflow run's lifecycle status; the file store keeps the numbers, the REST API the names.</summary>
public enum RunStatus
{
    Running = 1,
    Scheduled = 2,
    Finished = 3,
    Failed = 4,
    Killed = 5,
}

/// <summary>An MLflow experiment. Ids are strings (the REST API and the file store both say so).</summary>
public sealed record Experiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    string LifecycleStage,
    long? CreationTime,
    long? LastUpdateTime,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>One value of a metric: MLflow keeps every logged value with its time (ms since the epoch) and step.</summary>
public sealed record Metric(string Key, double Value, long Timestamp, long Step);

/// <summary>What is known about a run apart from its data.</summary>
public sealed record RunInfo(
    string RunId,
    string ExperimentId,
    string RunName,
    string UserId,
    RunStatus Status,
    long? StartTime,
    long? EndTime,
    string ArtifactUri,
    string LifecycleStage);

/// <summary>A run with its latest metrics, params and tags.</summary>
public sealed record Run(
    RunInfo Info,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>An entry of an artifact listing: a path relative to the listed root, and a size for files.</summary>
public sealed record ArtifactEntry(string Path, bool IsDirectory, long? FileSize);

/// <summary>A registered model: a name under which model versions are numbered 1, 2, ...</summary>
public sealed record RegisteredModel(
    string Name,
    long? CreationTimestamp,
    long? LastUpdatedTimestamp,
    string? Description,
    IReadOnlyList<ModelVersion> LatestVersions,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, string> Aliases);

/// <summary>One version of a registered model: where its files are (<see cref="Source"/>) and which run made it.</summary>
public sealed record ModelVersion(
    string Name,
    string Version,
    long? CreationTimestamp,
    long? LastUpdatedTimestamp,
    string CurrentStage,
    string? Description,
    string Source,
    string? RunId,
    string Status,
    IReadOnlyList<string> Aliases);

/// <summary>Well-known run tag keys of MLflow.</summary>
public static class MlflowTags
{
    public const string RunName = "mlflow.runName";
    public const string User = "mlflow.user";
    public const string SourceName = "mlflow.source.name";
    public const string SourceType = "mlflow.source.type";
    public const string GitCommit = "mlflow.source.git.commit";

    /// <summary>The models a run logged: a JSON list of their <c>MLmodel</c> contents (MLflow's UI links them).</summary>
    public const string LoggedModels = "mlflow.log-model.history";

    /// <summary>A dataset input's role: <c>training</c>, <c>validation</c>, ...</summary>
    public const string DatasetContext = "mlflow.data.context";
}

/// <summary>
/// A dataset a run used (MLflow's <c>DatasetInput</c>): its <see cref="Name"/>, a short <see cref="Digest"/> of its
/// content, where it is (<see cref="SourceType"/> <c>local</c> and <see cref="Source"/> <c>{"uri": ...}</c>), an
/// optional <see cref="Schema"/> and a <see cref="Profile"/> such as <c>{"num_rows": 164000}</c> (both JSON), and tags
/// such as <c>mlflow.data.context: training</c>.
/// </summary>
public sealed record DatasetInput(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile, IReadOnlyDictionary<string, string> Tags);
