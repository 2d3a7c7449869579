using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TagOlym.Core.Learning.Search;

namespace TagOlym.Core.Tracking;

/// <summary>
/// A hyperparameter study in MLflow: one parent run per study (tag <c>tagolym.study</c>; its params are the study's
/// settings; it holds the best trial as metrics <c>best_*</c>, tags and the artifacts <c>best_args.json</c> and
/// <c>study.json</c>), and one child run per trial (tag <c>mlflow.parentRunId</c>, as MLflow's nested runs; the trial's
/// arguments as params, each split's weighted precision/recall/F1 as metrics). A study can be rebuilt from its runs.
/// </summary>
public sealed class StudyRuns(ITrackingStore store, string experimentId)
{
    public const string StudyTag = "tagolym.study";
    public const string TrialTag = "tagolym.trial";
    public const string ParentRunTag = "mlflow.parentRunId";

    public ITrackingStore Store { get; } = store;

    public static async Task<StudyRuns> OpenAsync(ITrackingStore store, string experimentName, CancellationToken cancellationToken = default) =>
        new(store, await TrainingRuns.GetOrCreateExperimentAsync(store, experimentName, cancellationToken).ConfigureAwait(false));

    /// <summary>Starts the parent run of a study; <paramref name="settings"/> become its params.</summary>
    public async Task<string> StartStudyAsync(string studyName, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken = default)
    {
        var run = await Store.CreateRunAsync(experimentId, studyName, Now(), Tags(new() { [StudyTag] = studyName }), cancellationToken).ConfigureAwait(false);
        await Store.LogBatchAsync(run.RunId, parameters: settings, cancellationToken: cancellationToken).ConfigureAwait(false);
        return run.RunId;
    }

    /// <summary>The newest parent run of the study, or null.</summary>
    public async Task<Run?> FindStudyAsync(string studyName, CancellationToken cancellationToken = default) =>
        (await Store.SearchRunsAsync([experimentId], cancellationToken: cancellationToken).ConfigureAwait(false))
            .Where(r => r.Tags.GetValueOrDefault(StudyTag) == studyName && !r.Tags.ContainsKey(ParentRunTag))
            .OrderByDescending(r => r.Info.StartTime)
            .FirstOrDefault();

    /// <summary>Logs a finished trial as a child run of <paramref name="parentRunId"/>; returns its run id.</summary>
    public async Task<string> LogTrialAsync(string parentRunId, string studyName, int number, JsonObject args, IReadOnlyDictionary<string, double>? metrics, string? error, DateTimeOffset started, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var run = await Store.CreateRunAsync(experimentId, $"{studyName}-trial-{number}", started.ToUnixTimeMilliseconds(),
            Tags(new() { [ParentRunTag] = parentRunId, [StudyTag] = studyName, [TrialTag] = number.ToString(CultureInfo.InvariantCulture) }), cancellationToken).ConfigureAwait(false);
        var now = Now();
        await Store.LogBatchAsync(
            run.RunId,
            metrics?.Select(m => new Metric(m.Key, m.Value, now, 0)).ToList(),
            TrainingRuns.Params(args),
            error is null ? null : new Dictionary<string, string> { ["error"] = error },
            cancellationToken).ConfigureAwait(false);
        await Store.UpdateRunAsync(run.RunId, error is null ? RunStatus.Finished : RunStatus.Failed, now, cancellationToken).ConfigureAwait(false);
        return run.RunId;
    }

    /// <summary>Records the study's best so far in its parent run (metrics stepped by the number of trials, tags, artifacts).</summary>
    public async Task LogBestAsync(string parentRunId, Study study, JsonObject bestArgs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(bestArgs);
        if (study.Best is not { } best)
        {
            return;
        }

        var now = Now();
        var step = study.Trials.Count;
        var metrics = (best.Metrics ?? new Dictionary<string, double>()).Select(m => new Metric("best_" + m.Key, m.Value, now, step)).ToList();
        var tags = new Dictionary<string, string> { ["best_trial"] = best.Number.ToString(CultureInfo.InvariantCulture) };
        if (best.RunId is not null)
        {
            tags["best_run_id"] = best.RunId;
        }

        await Store.LogBatchAsync(parentRunId, metrics, tags: tags, cancellationToken: cancellationToken).ConfigureAwait(false);
        var staging = Directory.CreateTempSubdirectory("tagolym-study-").FullName;
        try
        {
            var argsFile = Path.Combine(staging, "best_args.json");
            AtomicFile.WriteAllText(argsFile, bestArgs.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            var studyFile = Path.Combine(staging, "study.json");
            study.Save(studyFile);
            await Store.LogArtifactAsync(parentRunId, argsFile, "best_args.json", cancellationToken).ConfigureAwait(false);
            await Store.LogArtifactAsync(parentRunId, studyFile, "study.json", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    public Task EndStudyAsync(string parentRunId, RunStatus status, CancellationToken cancellationToken = default) =>
        Store.UpdateRunAsync(parentRunId, status, Now(), cancellationToken);

    /// <summary>
    /// The trials of a study from its child runs: parameters from the runs' params (those of <paramref name="space"/>),
    /// value = the <c>val_f1</c> metric, failed runs as failed trials; runs that never finished are left out.
    /// </summary>
    public async Task<IReadOnlyList<Trial>> LoadTrialsAsync(string parentRunId, SearchSpace space, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        var trials = new List<Trial>();
        foreach (var run in await Store.SearchRunsAsync([experimentId], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (run.Tags.GetValueOrDefault(ParentRunTag) != parentRunId
                || !int.TryParse(run.Tags.GetValueOrDefault(TrialTag), CultureInfo.InvariantCulture, out var number)
                || run.Info.Status is not (RunStatus.Finished or RunStatus.Failed))
            {
                continue;
            }

            var values = new JsonObject();
            var assigned = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var parameter in space.Parameters)
            {
                if (space.IsActive(parameter, assigned) && run.Params.TryGetValue(parameter.Name, out var text))
                {
                    assigned[parameter.Name] = parameter.FromJson(FromParam(text))
                        ?? throw new StudyFileException($"run {run.Info.RunId}: {parameter.Name} = {text} is outside the search space");
                }
            }

            var metrics = run.Metrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
            var failed = run.Info.Status == RunStatus.Failed || !metrics.ContainsKey("val_f1");
            var duration = TimeSpan.FromMilliseconds((run.Info.EndTime ?? 0) - (run.Info.StartTime ?? 0));
            trials.Add(new Trial(number, assigned, failed ? TrialState.Failed : TrialState.Complete, failed ? null : metrics["val_f1"],
                duration, metrics, run.Info.RunId, failed ? run.Tags.GetValueOrDefault("error", "failed") : null));
        }

        return [.. trials.OrderBy(t => t.Number)];
    }

    /// <summary>An MLflow param (as <see cref="TrainingRuns.Params"/> writes it) back to its JSON value.</summary>
    internal static JsonNode? FromParam(string text) => text switch
    {
        "True" => JsonValue.Create(true),
        "False" => JsonValue.Create(false),
        "None" => null,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(text),
    };

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static Dictionary<string, string> Tags(Dictionary<string, string> tags)
    {
        tags[MlflowTags.User] = Environment.UserName;
        tags[MlflowTags.SourceName] = "tagolym optimize";
        tags[MlflowTags.SourceType] = "LOCAL";
        return tags;
    }
}
