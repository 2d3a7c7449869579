using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Learning;
using TagOlym.Core.Learning.Search;
using TagOlym.Core.Tracking;

namespace TagOlym.Core.Training;

/// <summary>What <c>tagolym optimize</c> runs.</summary>
/// <param name="BaseArgs">The arguments every trial starts from, every key explicit (<see cref="TrainingArgs.ToJson"/>).</param>
/// <param name="StudyName">Studies are named <c>NAME-1</c> and <c>NAME-2</c>; their files are <c>NAME-k.json</c> in <paramref name="StudyDirectory"/>.</param>
/// <param name="TrialsPerStudy">Trials each study ends with (a resumed study runs the ones missing).</param>
/// <param name="OutputPath">Where the best trial's arguments are written, each time the best improves.</param>
public sealed record OptimizationRequest(JsonObject BaseArgs, string StudyName, int TrialsPerStudy, string StudyDirectory, string OutputPath)
{
    /// <summary>Seeds the sampler (the split and the learner are seeded by the arguments' <c>seed</c>).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Random search instead of TPE.</summary>
    public bool RandomSearch { get; init; }

    /// <summary>Trials run at once.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Continue the studies from their files, else from their MLflow runs; without it an existing study file is an error.</summary>
    public bool Resume { get; init; }

    /// <summary>Where the trials were measured (data, split), kept in the study files and as the parent runs' params.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>A trial started (<see cref="Finished"/> null) or finished, with the study's best after it.</summary>
public sealed record StudyProgress(string Study, int TrialNumber, int Trials, JsonObject Params, Trial? Finished, Trial? Best);

/// <summary>The outcome: the studies as they ended, and the best trial's arguments and value (null when no trial completed).</summary>
public sealed record OptimizationResult(IReadOnlyList<Study> Studies, JsonObject? BestArgs, double? BestValue, string? BestStudy, int? BestTrial, bool Stopped);

/// <summary>
/// The anchor's two studies (<see cref="AnchorStudies"/>) done right: the objective is the validation weighted F1
/// (thresholds tuned on validation); the best trial's arguments are written (the anchor wrote the last trial's);
/// each study starts with the point it was given (the base arguments, then study 1's best), so neither ends below it;
/// the study file is saved after every trial; stopping (Ctrl+C) lets the running trials finish and keeps the best.
/// </summary>
public sealed class ArgsOptimizer(IArgsEvaluator evaluator, StudyRuns? runs = null)
{
    /// <summary>
    /// Each distinct set of arguments is trained once: a sampler may propose a point again (study 2 proposes
    /// <c>optimal</c>, which has no further parameter, about one time in four), and training is deterministic.
    /// </summary>
    private readonly ConcurrentDictionary<string, Lazy<Task<Dictionary<string, double>>>> _trained = new(StringComparer.Ordinal);

    public async Task<OptimizationResult> RunAsync(OptimizationRequest request, IProgress<StudyProgress>? progress = null, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.TrialsPerStudy, 1);
        var studies = new List<Study>();
        var baseArgs = request.BaseArgs;
        (JsonObject Args, double Value, string Study, int Trial)? best = null;
        for (var k = 0; k < AnchorStudies.Studies.Count && !stop.IsCancellationRequested; k++)
        {
            var space = AnchorStudies.Studies[k];
            var name = $"{request.StudyName}-{k + 1}";
            var (study, parentRunId) = await OpenStudyAsync(request, name, space, baseArgs, stop).ConfigureAwait(false);
            studies.Add(study);
            baseArgs = (JsonObject)study.Attributes["base_args"]!;
            var path = StudyPath(request, name);
            var studyBase = baseArgs;

            void Improve(Study s, string studyName)
            {
                if (s.Best is { Value: { } value } trial && (best is null || value > best.Value.Value))
                {
                    best = (AnchorStudies.Apply(studyBase, s.Space, trial.Params), value, studyName, trial.Number);
                    AtomicFile.WriteAllText(request.OutputPath, best.Value.Args.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                }
            }

            Improve(study, name);
            await StudyRunner.RunAsync(
                study,
                request.TrialsPerStudy,
                trial => EvaluateAsync(study, name, parentRunId, studyBase, trial, progress),
                request.Parallelism,
                trial =>
                {
                    study.Save(path);
                    Improve(study, name);
                    progress?.Report(new StudyProgress(name, trial.Number, request.TrialsPerStudy, space.ToJson(trial.Params), trial, study.Best));
                },
                stop).ConfigureAwait(false);

            if (runs is not null && parentRunId is not null && study.Best is { } studyBest)
            {
                await runs.LogBestAsync(parentRunId, study, AnchorStudies.Apply(studyBase, space, studyBest.Params), CancellationToken.None).ConfigureAwait(false);
                await runs.EndStudyAsync(parentRunId, stop.IsCancellationRequested ? RunStatus.Killed : RunStatus.Finished, CancellationToken.None).ConfigureAwait(false);
            }

            // the next study starts from this one's best
            if (study.Best is { } b)
            {
                baseArgs = AnchorStudies.Apply(studyBase, space, b.Params);
            }
        }

        return new OptimizationResult(studies, best?.Args, best?.Value, best?.Study, best?.Trial, stop.IsCancellationRequested);
    }

    public static string StudyPath(OptimizationRequest request, string studyName)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Path.Combine(request.StudyDirectory, studyName + ".json");
    }

    /// <summary>The validation weighted F1 and each split's weighted precision, recall and F1 (and val's micro F1).</summary>
    public static Dictionary<string, double> TrialMetrics(IReadOnlyDictionary<string, EvaluationReport> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (split, report) in metrics)
        {
            figures[$"{split}_precision"] = report.Overall.Precision;
            figures[$"{split}_recall"] = report.Overall.Recall;
            figures[$"{split}_f1"] = report.Overall.F1;
        }

        figures["val_micro_f1"] = metrics["val"].Micro.F1;
        return figures;
    }

    private async Task<TrialOutcome> EvaluateAsync(Study study, string name, string? parentRunId, JsonObject baseArgs, TrialRequest trial, IProgress<StudyProgress>? progress)
    {
        var args = AnchorStudies.Apply(baseArgs, study.Space, trial.Params);
        progress?.Report(new StudyProgress(name, trial.Number, -1, study.Space.ToJson(trial.Params), null, study.Best));
        var started = DateTimeOffset.UtcNow;
        Dictionary<string, double>? metrics = null;
        string? error = null;
        try
        {
            // a trial is not cancelled: Ctrl+C waits for it, so that its work is kept
            var json = args.ToJsonString();
            metrics = await _trained.GetOrAdd(json, _ => new Lazy<Task<Dictionary<string, double>>>(() => Task.Run(() =>
                TrialMetrics(evaluator.Evaluate(TrainingArgs.Parse(json, $"trial {trial.Number}"), CancellationToken.None))))).Value.ConfigureAwait(false);
        }
        catch (Exception e) when (e is TrainingArgsException or ArgumentException or InvalidOperationException or OutOfMemoryException)
        {
            error = e.Message;
        }

        var runId = runs is null || parentRunId is null ? null
            : await runs.LogTrialAsync(parentRunId, name, trial.Number, args, metrics, error, started).ConfigureAwait(false);
        return error is null ? new TrialOutcome(metrics!["val_f1"], metrics, runId) : new TrialOutcome(double.NaN, null, runId, error);
    }

    private async Task<(Study Study, string? ParentRunId)> OpenStudyAsync(OptimizationRequest request, string name, SearchSpace space, JsonObject baseArgs, CancellationToken cancellationToken)
    {
        var path = StudyPath(request, name);
        Study? study = null;
        if (File.Exists(path))
        {
            study = request.Resume
                ? Study.Load(path, space)
                : throw new StudyFileException($"study {name} exists ({path}): pass --resume to continue it, or choose another --study name");
        }

        string? parentRunId = (string?)study?.Attributes["parent_run_id"];
        if (study is null && request.Resume && runs is not null && await runs.FindStudyAsync(name, cancellationToken).ConfigureAwait(false) is { } parent)
        {
            // no file: rebuild the study from its runs (the parent's params say how it was sampled)
            var seed = int.Parse(parent.Params.GetValueOrDefault("seed", request.Seed.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
            study = NewStudy(name, space, parent.Params.GetValueOrDefault("sampler") == "random", seed, baseArgs);
            foreach (var trial in await runs.LoadTrialsAsync(parent.Info.RunId, space, cancellationToken).ConfigureAwait(false))
            {
                study.Tell(trial);
            }

            parentRunId = parent.Info.RunId;
        }

        study ??= NewStudy(name, space, request.RandomSearch, request.Seed, baseArgs);
        if (runs is not null && parentRunId is null)
        {
            var settings = new Dictionary<string, string>(request.Settings, StringComparer.Ordinal)
            {
                ["sampler"] = study.Sampler is RandomSampler ? "random" : "tpe",
                ["seed"] = (study.Sampler is TpeSampler tpe ? tpe.Seed : ((RandomSampler)study.Sampler).Seed).ToString(CultureInfo.InvariantCulture),
                ["trials"] = request.TrialsPerStudy.ToString(CultureInfo.InvariantCulture),
            };
            parentRunId = await runs.StartStudyAsync(name, settings, cancellationToken).ConfigureAwait(false);
        }

        if (parentRunId is not null)
        {
            study.Attributes["parent_run_id"] = parentRunId;
        }

        foreach (var (key, value) in request.Settings)
        {
            study.Attributes[key] = value;
        }

        study.Save(path);
        return (study, parentRunId);
    }

    private static Study NewStudy(string name, SearchSpace space, bool random, int seed, JsonObject baseArgs)
    {
        var study = new Study(name, space, random ? new RandomSampler(seed) : new TpeSampler(seed));
        study.Attributes["base_args"] = baseArgs.DeepClone();
        if (AnchorStudies.StartingPoint(baseArgs, space) is { } start)
        {
            study.Enqueue(start);
        }

        return study;
    }
}
