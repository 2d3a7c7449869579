using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TagOlym.Core.Tracking;

/// <summary>
/// Tracking and registry in a directory, in exactly the on-disk layout of MLflow 2.9.2's FileStore, so that
/// <c>mlflow ui --backend-store-uri DIR</c> and MLflow's Python client read what TagOlym writes (and the reverse):
/// <code>
/// DIR/0/meta.yaml                              the Default experiment
/// DIR/&lt;exp&gt;/meta.yaml, tags/&lt;k&gt;                 an experiment
/// DIR/&lt;exp&gt;/&lt;run&gt;/meta.yaml                     a run (status as a number, times in ms)
/// DIR/&lt;exp&gt;/&lt;run&gt;/params/&lt;k&gt;, tags/&lt;k&gt;         one file per key, the value without a newline
/// DIR/&lt;exp&gt;/&lt;run&gt;/metrics/&lt;k&gt;                 "timestamp value step\n" per logged value
/// DIR/&lt;exp&gt;/&lt;run&gt;/artifacts/...
/// DIR/models/&lt;name&gt;/meta.yaml, tags/&lt;k&gt;, aliases/&lt;alias&gt; (content: the version), version-&lt;N&gt;/meta.yaml
/// </code>
/// Every file is written to a temporary name and renamed (<see cref="AtomicFile"/>), so a reader never sees half a
/// file; what must be unique (experiment names, version numbers, alias moves) is decided under a lock file
/// (<c>DIR/.tagolym.lock</c>) that other processes honour too.
/// </summary>
public sealed class FileTrackingStore : ITrackingStore
{
    private const string DefaultExperimentId = "0";
    private const string LockFileName = ".tagolym.lock";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    public FileTrackingStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        if (!File.Exists(Path.Combine(Root, DefaultExperimentId, "meta.yaml")))
        {
            using var _ = AcquireLock();
            if (!File.Exists(Path.Combine(Root, DefaultExperimentId, "meta.yaml")))
            {
                Directory.CreateDirectory(Path.Combine(Root, ".trash"));
                var now = Now();
                WriteExperimentMeta(DefaultExperimentId, "Default", now);
            }
        }
    }

    /// <summary>The store's directory (absolute).</summary>
    public string Root { get; }

    public string Location => Root;

    /// <summary>Nothing to release: every call opens and closes its files.</summary>
    public void Dispose()
    {
    }

    private string ModelsRoot => Path.Combine(Root, "models");

    // ---------------------------------------------------------------- experiments

    public Task<string> CreateExperimentAsync(string name, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidParameterValueException("Missing value for required parameter 'name'.");
        }

        using var _ = AcquireLock();
        if (FindExperimentByName(name) is not null)
        {
            throw new ResourceAlreadyExistsException($"Experiment '{name}' already exists.");
        }

        string id;
        do
        {
            id = Random.Shared.NextInt64(100_000_000_000_000_000, 999_999_999_999_999_999).ToString(CultureInfo.InvariantCulture);
        }
        while (Directory.Exists(Path.Combine(Root, id)));

        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            WriteValue(Path.Combine(Root, id, "tags"), key, value);
        }

        WriteExperimentMeta(id, name, Now());
        return Task.FromResult(id);
    }

    public Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(FindExperimentByName(name) ?? throw new ResourceDoesNotExistException($"Could not find experiment with name '{name}'"));

    private Experiment? FindExperimentByName(string name) =>
        ExperimentIds().Select(ReadExperiment).FirstOrDefault(e => e is not null && e.Name == name && e.LifecycleStage == "active");

    private IEnumerable<string> ExperimentIds() =>
        Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not (".trash" or "models") && File.Exists(Path.Combine(Root, d, "meta.yaml")));

    private Experiment? ReadExperiment(string experimentId)
    {
        if (!IsSafeSegment(experimentId))
        {
            return null;
        }

        var meta = Path.Combine(Root, experimentId, "meta.yaml");
        if (!File.Exists(meta))
        {
            return null;
        }

        var yaml = MlflowYaml.Read(File.ReadAllText(meta));
        return new Experiment(
            yaml.GetString("experiment_id") ?? experimentId,
            yaml.GetString("name") ?? "",
            yaml.GetString("artifact_location") ?? "",
            yaml.GetString("lifecycle_stage") ?? "active",
            yaml.GetLong("creation_time"),
            yaml.GetLong("last_update_time"),
            ReadValues(Path.Combine(Root, experimentId, "tags")));
    }

    private void WriteExperimentMeta(string id, string name, long now) =>
        AtomicFile.WriteAllText(Path.Combine(Root, id, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["artifact_location"] = FileUri(Path.Combine(Root, id)),
            ["creation_time"] = now,
            ["experiment_id"] = id,
            ["last_update_time"] = now,
            ["lifecycle_stage"] = "active",
            ["name"] = name,
        }));

    // ---------------------------------------------------------------- runs

    public Task<RunInfo> CreateRunAsync(string experimentId, string? runName, long startTime, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        var experiment = ReadExperiment(experimentId) ?? throw new ResourceDoesNotExistException($"Could not find experiment with ID {experimentId}");
        if (experiment.LifecycleStage != "active")
        {
            throw new InvalidParameterValueException($"The experiment {experimentId} must be in the 'active' state.");
        }

        var runId = Guid.NewGuid().ToString("N");
        var runDirectory = Path.Combine(Root, experimentId, runId);
        var allTags = new Dictionary<string, string>(tags ?? new Dictionary<string, string>());
        runName = string.IsNullOrEmpty(runName) ? allTags.GetValueOrDefault(MlflowTags.RunName) ?? runId[..8] : runName;
        allTags[MlflowTags.RunName] = runName;
        Directory.CreateDirectory(Path.Combine(runDirectory, "artifacts"));
        Directory.CreateDirectory(Path.Combine(runDirectory, "metrics"));
        Directory.CreateDirectory(Path.Combine(runDirectory, "params"));
        foreach (var (key, value) in allTags)
        {
            WriteValue(Path.Combine(runDirectory, "tags"), key, value);
        }

        var info = new RunInfo(runId, experimentId, runName, allTags.GetValueOrDefault(MlflowTags.User) ?? "", RunStatus.Running,
            startTime, null, FileUri(Path.Combine(runDirectory, "artifacts")), "active");
        WriteRunMeta(runDirectory, info);
        return Task.FromResult(info);
    }

    public Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        var runDirectory = RunDirectory(runId);

        // under the lock: a param's check-then-write and a metric's read-append-rename must not interleave with another writer's
        using var _ = AcquireLock();
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            ValidateKey(key);
            var path = Path.Combine(runDirectory, "params", key);
            if (File.Exists(path))
            {
                var existing = File.ReadAllText(path);
                if (existing != value)
                {
                    throw new InvalidParameterValueException(
                        $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{existing}' for run ID='{runId}'. Attempted logging new value '{value}'.");
                }

                continue;
            }

            WriteValue(Path.Combine(runDirectory, "params"), key, value);
        }

        foreach (var group in (metrics ?? []).GroupBy(m => m.Key))
        {
            ValidateKey(group.Key);
            var path = Path.Combine(runDirectory, "metrics", group.Key);
            var text = new StringBuilder(File.Exists(path) ? File.ReadAllText(path) : "");
            foreach (var metric in group)
            {
                text.Append(metric.Timestamp.ToString(CultureInfo.InvariantCulture)).Append(' ')
                    .Append(PythonFormat.Repr(metric.Value)).Append(' ')
                    .Append(metric.Step.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            AtomicFile.WriteAllText(path, text.ToString());
        }

        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            WriteValue(Path.Combine(runDirectory, "tags"), key, value);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// As MLflow's FileStore: each dataset once per experiment in <c>&lt;exp&gt;/datasets/&lt;md5(name, digest)&gt;/meta.yaml</c>,
    /// the run's input in <c>&lt;run&gt;/inputs/&lt;md5(dataset id, run id)&gt;/meta.yaml</c> (with MLflow's own quirk:
    /// <c>destination_id</c> repeats the dataset id).
    /// </summary>
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var runDirectory = RunDirectory(runId);
        var experimentDirectory = Path.GetDirectoryName(runDirectory)!;
        using var _ = AcquireLock();
        foreach (var input in datasets)
        {
            var datasetId = Md5Hex(input.Name, input.Digest);
            var datasetMeta = Path.Combine(experimentDirectory, "datasets", datasetId, "meta.yaml");
            if (!File.Exists(datasetMeta))
            {
                AtomicFile.WriteAllText(datasetMeta, MlflowYaml.Write(new Dictionary<string, object?>
                {
                    ["digest"] = input.Digest,
                    ["name"] = input.Name,
                    ["profile"] = input.Profile,
                    ["schema"] = input.Schema,
                    ["source"] = input.Source,
                    ["source_type"] = input.SourceType,
                }));
            }

            var inputMeta = Path.Combine(runDirectory, "inputs", Md5Hex(datasetId, runId), "meta.yaml");
            if (!File.Exists(inputMeta))
            {
                AtomicFile.WriteAllText(inputMeta, MlflowYaml.Write(new Dictionary<string, object?>
                {
                    ["destination_id"] = datasetId,
                    ["destination_type"] = "RUN",
                    ["source_id"] = datasetId,
                    ["source_type"] = "DATASET",
                    ["tags"] = input.Tags.ToDictionary(t => t.Key, t => (object?)t.Value),
                }));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>As MLflow's FileStore: the model's <c>MLmodel</c> contents appended to the run's
    /// <c>mlflow.log-model.history</c> tag (a JSON list).</summary>
    public Task LogModelAsync(string runId, ModelDescriptor model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var runDirectory = RunDirectory(runId);
        using var _ = AcquireLock();
        var path = Path.Combine(runDirectory, "tags", MlflowTags.LoggedModels);
        var history = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonArray ?? [] : [];
        history.Add(model.ToJson());
        WriteValue(Path.Combine(runDirectory, "tags"), MlflowTags.LoggedModels, history.ToJsonString());
        return Task.CompletedTask;
    }

#pragma warning disable CA5351 // MD5 is not a safeguard here: it is how MLflow's FileStore names dataset and input folders
    private static string Md5Hex(string first, string second) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(first + second)));
#pragma warning restore CA5351

    public Task<RunInfo> UpdateRunAsync(string runId, RunStatus status, long endTime, CancellationToken cancellationToken = default)
    {
        var runDirectory = RunDirectory(runId);
        var info = ReadRunInfo(runDirectory) with { Status = status, EndTime = endTime };
        WriteRunMeta(runDirectory, info);
        return Task.FromResult(info);
    }

    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReadRun(RunDirectory(runId)));

    public Task<IReadOnlyList<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        var runs = experimentIds.Where(IsSafeSegment)
            .Select(id => Path.Combine(Root, id))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(d => File.Exists(Path.Combine(d, "meta.yaml")))
            .Select(ReadRun)
            .Where(r => r.Info.LifecycleStage == "active")
            .OrderByDescending(r => r.Info.StartTime)
            .ThenBy(r => r.Info.RunId, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<Run>>(runs);
    }

    public Task LogArtifactAsync(string runId, string localFile, string artifactPath, CancellationToken cancellationToken = default)
    {
        var target = ArtifactPath(RunDirectory(runId), artifactPath);
        AtomicFile.Write(target, output =>
        {
            using var input = File.OpenRead(localFile);
            input.CopyTo(output);
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ArtifactEntry>> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        var root = Path.Combine(RunDirectory(runId), "artifacts");
        var directory = string.IsNullOrEmpty(path) ? root : ArtifactPath(RunDirectory(runId), path);
        if (!Directory.Exists(directory))
        {
            return Task.FromResult<IReadOnlyList<ArtifactEntry>>([]);
        }

        var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos()
            .Where(e => !IsTemporary(e.Name))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new ArtifactEntry(
                Path.GetRelativePath(root, e.FullName).Replace('\\', '/'),
                e is DirectoryInfo,
                e is FileInfo f ? f.Length : null))
            .ToList();
        return Task.FromResult<IReadOnlyList<ArtifactEntry>>(entries);
    }

    public Task<string> DownloadArtifactsAsync(string artifactUri, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        var local = LocalPath(artifactUri)
            ?? throw new InvalidParameterValueException($"{artifactUri} is not a file artifact location; the file store {Root} cannot fetch it");
        return File.Exists(local) || Directory.Exists(local)
            ? Task.FromResult(local)
            : throw new ResourceDoesNotExistException($"no artifact at {artifactUri}");
    }

    private string RunDirectory(string runId)
    {
        if (IsSafeSegment(runId))
        {
            foreach (var experimentId in ExperimentIds())
            {
                var directory = Path.Combine(Root, experimentId, runId);
                if (File.Exists(Path.Combine(directory, "meta.yaml")))
                {
                    return directory;
                }
            }
        }

        throw new ResourceDoesNotExistException($"Run with id={runId} not found");
    }

    private static string ArtifactPath(string runDirectory, string artifactPath)
    {
        var parts = artifactPath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is "." or ".."))
        {
            throw new InvalidParameterValueException($"invalid artifact path '{artifactPath}'");
        }

        return Path.Combine([runDirectory, "artifacts", .. parts]);
    }

    private static Run ReadRun(string runDirectory)
    {
        var info = ReadRunInfo(runDirectory);
        var metrics = ReadTree(Path.Combine(runDirectory, "metrics"))
            .Select(kv => ReadMetricLines(kv.Key, kv.Value).MaxBy(m => (m.Step, m.Timestamp, m.Value)))
            .OfType<Metric>()
            .ToList();
        var tags = ReadValues(Path.Combine(runDirectory, "tags"));
        return new Run(info with { RunName = tags.GetValueOrDefault(MlflowTags.RunName) ?? info.RunName }, metrics, ReadValues(Path.Combine(runDirectory, "params")), tags);
    }

    private static RunInfo ReadRunInfo(string runDirectory)
    {
        var yaml = MlflowYaml.Read(File.ReadAllText(Path.Combine(runDirectory, "meta.yaml")));
        return new RunInfo(
            yaml.GetString("run_id") ?? yaml.GetString("run_uuid") ?? Path.GetFileName(runDirectory),
            yaml.GetString("experiment_id") ?? "",
            yaml.GetString("run_name") ?? "",
            yaml.GetString("user_id") ?? "",
            (RunStatus)(int)(yaml.GetLong("status") ?? (int)RunStatus.Running),
            yaml.GetLong("start_time"),
            yaml.GetLong("end_time"),
            yaml.GetString("artifact_uri") ?? "",
            yaml.GetString("lifecycle_stage") ?? "active");
    }

    private static void WriteRunMeta(string runDirectory, RunInfo info) =>
        AtomicFile.WriteAllText(Path.Combine(runDirectory, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["artifact_uri"] = info.ArtifactUri,
            ["end_time"] = info.EndTime,
            ["entry_point_name"] = "",
            ["experiment_id"] = info.ExperimentId,
            ["lifecycle_stage"] = info.LifecycleStage,
            ["run_id"] = info.RunId,
            ["run_name"] = info.RunName,
            ["run_uuid"] = info.RunId,
            ["source_name"] = "",
            ["source_type"] = 4,
            ["source_version"] = "",
            ["start_time"] = info.StartTime,
            ["status"] = (int)info.Status,
            ["tags"] = Array.Empty<string>(),
            ["user_id"] = info.UserId,
        }));

    internal static List<Metric> ReadMetricLines(string key, string text)
    {
        var metrics = new List<Metric>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length < 2)
            {
                throw new InvalidDataException($"metric {key}: malformed line '{line}'");
            }

            metrics.Add(new Metric(key, ParsePythonFloat(parts[1]), long.Parse(parts[0], CultureInfo.InvariantCulture),
                parts.Length > 2 ? long.Parse(parts[2], CultureInfo.InvariantCulture) : 0));
        }

        return metrics;
    }

    private static double ParsePythonFloat(string text) => text switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    // ---------------------------------------------------------------- registry

    public Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ValidateModelName(name);
        using var _ = AcquireLock();
        var directory = Path.Combine(ModelsRoot, name);
        if (File.Exists(Path.Combine(directory, "meta.yaml")))
        {
            throw new ResourceAlreadyExistsException($"Registered Model (name={name}) already exists.");
        }

        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            WriteValue(Path.Combine(directory, "tags"), key, value);
        }

        var now = Now();
        WriteModelMeta(directory, name, now, now, description, new Dictionary<string, string>());
        return Task.FromResult(ReadRegisteredModel(name));
    }

    public Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateModelName(name);
        return Task.FromResult(ReadRegisteredModel(name));
    }

    public Task<IReadOnlyList<RegisteredModel>> SearchRegisteredModelsAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(ModelsRoot))
        {
            return Task.FromResult<IReadOnlyList<RegisteredModel>>([]);
        }

        var models = Directory.EnumerateDirectories(ModelsRoot)
            .Where(d => File.Exists(Path.Combine(d, "meta.yaml")))
            .Select(d => ReadRegisteredModel(Path.GetFileName(d)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<RegisteredModel>>(models);
    }

    public Task<ModelVersion> CreateModelVersionAsync(string name, string source, string? runId, string? description = null, CancellationToken cancellationToken = default)
    {
        ValidateModelName(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        using var _ = AcquireLock();
        var directory = ModelDirectory(name);
        var version = VersionNumbers(directory).DefaultIfEmpty(0).Max() + 1;
        var now = Now();
        var versionDirectory = Path.Combine(directory, $"version-{version}");
        Directory.CreateDirectory(Path.Combine(versionDirectory, "tags"));
        WriteVersionMeta(versionDirectory, new ModelVersion(name, version.ToString(CultureInfo.InvariantCulture), now, now, "None", description, source, runId, "READY", []));
        TouchModel(directory, now);
        return Task.FromResult(ReadVersion(versionDirectory));
    }

    public Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        ValidateModelName(name);
        var directory = Path.Combine(ModelsRoot, name, $"version-{version}");
        return !int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out _) || !File.Exists(Path.Combine(directory, "meta.yaml"))
            ? throw new ResourceDoesNotExistException($"Model Version (name={name}, version={version}) not found")
            : Task.FromResult(ReadVersion(directory));
    }

    public Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateModelName(name);
        var directory = Path.Combine(ModelsRoot, name);
        IReadOnlyList<ModelVersion> versions = Directory.Exists(directory)
            ? VersionNumbers(directory).Order().Select(v => ReadVersion(Path.Combine(directory, $"version-{v}"))).ToList()
            : [];
        return Task.FromResult(versions);
    }

    public Task SetAliasAsync(string name, string aliasName, string version, CancellationToken cancellationToken = default)
    {
        ValidateModelName(name);
        ValidateAlias(aliasName);
        using var _ = AcquireLock();
        var directory = ModelDirectory(name);
        var versionDirectory = Path.Combine(directory, $"version-{version}");
        if (!File.Exists(Path.Combine(versionDirectory, "meta.yaml")))
        {
            throw new ResourceDoesNotExistException($"Model Version (name={name}, version={version}) not found");
        }

        // as MLflow's FileStore: the alias file alone says which version it names
        AtomicFile.WriteAllText(Path.Combine(directory, "aliases", aliasName), version);
        return Task.CompletedTask;
    }

    public Task<ModelVersion> GetModelVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken = default)
    {
        ValidateModelName(name);
        ValidateAlias(aliasName);
        var aliasFile = Path.Combine(ModelsRoot, name, "aliases", aliasName);
        return File.Exists(aliasFile)
            ? GetModelVersionAsync(name, File.ReadAllText(aliasFile).Trim(), cancellationToken)
            : throw new ResourceDoesNotExistException($"Registered model alias {aliasName} not found.");
    }

    private string ModelDirectory(string name)
    {
        var directory = Path.Combine(ModelsRoot, name);
        return File.Exists(Path.Combine(directory, "meta.yaml"))
            ? directory
            : throw new ResourceDoesNotExistException($"Registered Model with name={name} not found");
    }

    private static IEnumerable<int> VersionNumbers(string modelDirectory) =>
        Directory.EnumerateDirectories(modelDirectory, "version-*")
            .Select(d => int.TryParse(Path.GetFileName(d)["version-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .Where(v => v > 0);

    private RegisteredModel ReadRegisteredModel(string name)
    {
        var directory = ModelDirectory(name);
        var yaml = MlflowYaml.Read(File.ReadAllText(Path.Combine(directory, "meta.yaml")));
        var versions = VersionNumbers(directory).Select(v => ReadVersion(Path.Combine(directory, $"version-{v}"))).ToList();
        var latest = versions.GroupBy(v => v.CurrentStage).Select(g => g.MaxBy(v => int.Parse(v.Version, CultureInfo.InvariantCulture))!)
            .OrderBy(v => int.Parse(v.Version, CultureInfo.InvariantCulture)).ToList();
        return new RegisteredModel(
            yaml.GetString("name") ?? name,
            yaml.GetLong("creation_timestamp"),
            yaml.GetLong("last_updated_timestamp"),
            yaml.GetString("description"),
            latest,
            ReadValues(Path.Combine(directory, "tags")),
            ReadValues(Path.Combine(directory, "aliases")));
    }

    private static ModelVersion ReadVersion(string versionDirectory)
    {
        var yaml = MlflowYaml.Read(File.ReadAllText(Path.Combine(versionDirectory, "meta.yaml")));
        return new ModelVersion(
            yaml.GetString("name") ?? "",
            yaml.GetString("version") ?? "",
            yaml.GetLong("creation_timestamp"),
            yaml.GetLong("last_updated_timestamp"),
            yaml.GetString("current_stage") ?? "None",
            yaml.GetString("description"),
            yaml.GetString("source") ?? "",
            yaml.GetString("run_id"),
            yaml.GetString("status") ?? "READY",
            AliasesOf(Path.GetDirectoryName(versionDirectory)!, yaml.GetString("version") ?? ""));
    }

    /// <summary>A version's aliases as MLflow reads them: the files of <c>models/NAME/aliases/</c> naming it (a version's
    /// <c>meta.yaml</c> keeps whatever aliases it had when last rewritten, so it is not read).</summary>
    private static List<string> AliasesOf(string modelDirectory, string version) =>
        ReadValues(Path.Combine(modelDirectory, "aliases")).Where(a => a.Value.Trim() == version).Select(a => a.Key).Order(StringComparer.Ordinal).ToList();

    private static void WriteVersionMeta(string versionDirectory, ModelVersion version) =>
        AtomicFile.WriteAllText(Path.Combine(versionDirectory, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["aliases"] = version.Aliases.ToList(),
            ["creation_timestamp"] = version.CreationTimestamp,
            ["current_stage"] = version.CurrentStage,
            ["description"] = version.Description,
            ["last_updated_timestamp"] = version.LastUpdatedTimestamp,
            ["name"] = version.Name,
            ["run_id"] = version.RunId,
            ["run_link"] = null,
            ["source"] = version.Source,
            ["status"] = version.Status,
            ["status_message"] = null,
            ["storage_location"] = version.Source,
            ["user_id"] = null,
            ["version"] = int.Parse(version.Version, CultureInfo.InvariantCulture),
        }));

    private static void WriteModelMeta(string directory, string name, long created, long updated, string? description, IReadOnlyDictionary<string, string> aliases) =>
        AtomicFile.WriteAllText(Path.Combine(directory, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["aliases"] = aliases.ToDictionary(a => a.Key, a => (object?)a.Value),
            ["creation_timestamp"] = created,
            ["description"] = description,
            ["last_updated_timestamp"] = updated,
            ["name"] = name,
        }));

    private static void TouchModel(string directory, long now)
    {
        var yaml = MlflowYaml.Read(File.ReadAllText(Path.Combine(directory, "meta.yaml")));
        WriteModelMeta(directory, yaml.GetString("name") ?? Path.GetFileName(directory), yaml.GetLong("creation_timestamp") ?? now, now,
            yaml.GetString("description"), ReadValues(Path.Combine(directory, "aliases")));
    }

    // ---------------------------------------------------------------- files

    private static void WriteValue(string directory, string key, string value)
    {
        ValidateKey(key);
        AtomicFile.WriteAllText(Path.Combine(directory, key), value);
    }

    private static Dictionary<string, string> ReadValues(string directory) =>
        ReadTree(directory).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Every file below <paramref name="directory"/> as (key with '/' separators, content); temporary files skipped.</summary>
    private static IEnumerable<KeyValuePair<string, string>> ReadTree(string directory) =>
        !Directory.Exists(directory)
            ? []
            : Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => !IsTemporary(Path.GetFileName(f)))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => KeyValuePair.Create(Path.GetRelativePath(directory, f).Replace('\\', '/'), File.ReadAllText(f)));

    private static bool IsTemporary(string fileName) => fileName.StartsWith('.') && fileName.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>MLflow's key rule: alphanumerics, underscores, dashes, periods, spaces and slashes; no '..' segment.</summary>
    internal static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 250 || key.StartsWith('/') || key.EndsWith('/')
            || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ' ' or '/'))
            || key.Split('/').Any(p => p is "" or "." or ".."))
        {
            throw new InvalidParameterValueException(
                $"Invalid key '{key}': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).");
        }
    }

    private static void ValidateModelName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || !IsSafeSegment(name))
        {
            throw new InvalidParameterValueException($"Invalid registered model name '{name}'");
        }
    }

    private static void ValidateAlias(string alias)
    {
        if (string.IsNullOrEmpty(alias) || alias.Length > 255 || !alias.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            || (alias.Length > 1 && (alias[0] is 'v' or 'V') && alias[1..].All(char.IsAsciiDigit)) || alias.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidParameterValueException($"Invalid alias '{alias}': letters, digits, '_' and '-' only, not 'latest' nor v<number>");
        }
    }

    private static bool IsSafeSegment(string segment) =>
        !string.IsNullOrEmpty(segment) && segment is not ("." or "..") && segment.IndexOfAny(['/', '\\', '\0']) < 0;

    internal static string FileUri(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;

    internal static string? LocalPath(string uri)
    {
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri(uri).LocalPath;
        }

        return Path.IsPathRooted(uri) && !uri.Contains("://", StringComparison.Ordinal) ? uri : null;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private FileStream AcquireLock()
    {
        var path = Path.Combine(Root, LockFileName);
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(Random.Shared.Next(2, 15));
            }
        }
    }
}
