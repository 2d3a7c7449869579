namespace TagOlym.Core.Tracking;

/// <summary>
/// Experiment tracking and model registry, MLflow's data model: experiments hold runs; a run has params (set once),
/// metrics (every value kept, with time and step), tags and artifacts (files); a registered model numbers its versions,
/// each pointing at a run's artifacts; an alias (<c>champion</c>) names one version.
/// Two implementations: <see cref="FileTrackingStore"/> (MLflow's on-disk FileStore layout) and
/// <see cref="MlflowRestStore"/> (an MLflow tracking server). Open one with <see cref="TrackingStores.Open"/>.
/// Failures the caller can act on are <see cref="MlflowException"/>s: <see cref="ResourceDoesNotExistException"/>,
/// <see cref="ResourceAlreadyExistsException"/>, <see cref="InvalidParameterValueException"/>.
/// </summary>
public interface ITrackingStore : IDisposable
{
    /// <summary>Where this store is (a directory or a server URL), for messages.</summary>
    string Location { get; }

    Task<string> CreateExperimentAsync(string name, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>The active experiment of that name; <see cref="ResourceDoesNotExistException"/> when there is none.</summary>
    Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Starts a run (status RUNNING). <paramref name="tags"/> are set with it; <c>mlflow.runName</c> is added.</summary>
    Task<RunInfo> CreateRunAsync(string experimentId, string? runName, long startTime, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Logs params (a param cannot change value), metric values and tags in one call.</summary>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Records datasets the run used (MLflow's <c>runs/log-inputs</c>), shown with the run in the MLflow UI.</summary>
    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default);

    /// <summary>Records a model the run logged in its <c>mlflow.log-model.history</c> tag, as MLflow's <c>log_model</c> does
    /// (<c>runs/log-model</c>).</summary>
    Task LogModelAsync(string runId, ModelDescriptor model, CancellationToken cancellationToken = default);

    Task<RunInfo> UpdateRunAsync(string runId, RunStatus status, long endTime, CancellationToken cancellationToken = default);

    Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>The active runs of the experiments, newest first (optimize finds a study's trials with it).</summary>
    Task<IReadOnlyList<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, CancellationToken cancellationToken = default);

    /// <summary>Copies a local file to the run's artifacts as <paramref name="artifactPath"/> (e.g. <c>model/MLmodel</c>).</summary>
    Task LogArtifactAsync(string runId, string localFile, string artifactPath, CancellationToken cancellationToken = default);

    /// <summary>The entries directly below <paramref name="path"/> of the run's artifacts, paths relative to the artifact root.</summary>
    Task<IReadOnlyList<ArtifactEntry>> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the artifact file or directory at <paramref name="artifactUri"/> (a run's <c>artifact_uri</c> plus a path,
    /// or a model version's <c>source</c>) available locally, and returns its local path: the file store returns its
    /// own path, the REST store downloads below <paramref name="destinationDirectory"/>.
    /// </summary>
    Task<string> DownloadArtifactsAsync(string artifactUri, string destinationDirectory, CancellationToken cancellationToken = default);

    Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default);

    Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RegisteredModel>> SearchRegisteredModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Registers the next version (1, 2, ...; unique even when several writers register at once).</summary>
    Task<ModelVersion> CreateModelVersionAsync(string name, string source, string? runId, string? description = null, CancellationToken cancellationToken = default);

    Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Points <paramref name="alias"/> at a version (moving it from any other version).</summary>
    Task SetAliasAsync(string name, string aliasName, string version, CancellationToken cancellationToken = default);

    /// <summary>The version an alias names; <see cref="ResourceDoesNotExistException"/> when the alias is unknown.</summary>
    Task<ModelVersion> GetModelVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken = default);
}
