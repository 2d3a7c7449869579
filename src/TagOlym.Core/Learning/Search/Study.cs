using System.Text.Json;
using System.Text.Json.Nodes;

namespace TagOlym.Core.Learning.Search;

public enum StudyDirection
{
    Maximize,
    Minimize,
}

/// <summary>A study file that cannot be resumed; the message says why.</summary>
public sealed class StudyFileException(string message) : Exception(message)
{
    public StudyFileException()
        : this("invalid study file")
    {
    }

    public StudyFileException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}

/// <summary>
/// A search over one <see cref="SearchSpace"/>: its trials, the best one, the sampler that proposes the next, and
/// a JSON study file to continue it from. Trial <c>k</c> is proposed from the finished trials numbered up to
/// <c>k - lag</c> (lag = the trials run at once), so a study gives the same trials whether it runs alone, beside
/// another trial, or resumed from its file. Safe to share between threads.
/// </summary>
public sealed class Study
{
    private const string Format = "tagolym-study/1";
    private readonly List<Trial> _trials = [];
    private readonly List<IReadOnlyDictionary<string, double>> _enqueued = [];
    private readonly Lock _lock = new();

    public Study(string name, SearchSpace space, ISampler sampler, StudyDirection direction = StudyDirection.Maximize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        (Name, Space, Sampler, Direction) = (name, space ?? throw new ArgumentNullException(nameof(space)), sampler ?? throw new ArgumentNullException(nameof(sampler)), direction);
    }

    public string Name { get; }

    public SearchSpace Space { get; }

    public ISampler Sampler { get; }

    public StudyDirection Direction { get; }

    /// <summary>What the caller needs to evaluate the trials again (data, split, base arguments); kept in the study file.</summary>
    public JsonObject Attributes { get; private init; } = [];

    public IReadOnlyList<Trial> Trials
    {
        get
        {
            lock (_lock)
            {
                return [.. _trials];
            }
        }
    }

    /// <summary>The number the next trial takes.</summary>
    public int NextNumber
    {
        get
        {
            lock (_lock)
            {
                return _trials.Count == 0 ? 0 : _trials.Max(t => t.Number) + 1;
            }
        }
    }

    /// <summary>The complete trial with the best value (the earliest of equals); null before any.</summary>
    public Trial? Best
    {
        get
        {
            lock (_lock)
            {
                return _trials.Where(t => t.State == TrialState.Complete)
                    .OrderBy(t => Loss(t.Value!.Value)).ThenBy(t => t.Number).FirstOrDefault();
            }
        }
    }

    /// <summary>Fixes the parameters of the next not-yet-enqueued trial number (0, 1, ...): a known good point to start from.</summary>
    public void Enqueue(IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        lock (_lock)
        {
            _enqueued.Add(new Dictionary<string, double>(parameters, StringComparer.Ordinal));
        }
    }

    /// <summary>The parameters of trial <paramref name="trialNumber"/>, from the complete trials numbered up to <c>trialNumber - lag</c>.</summary>
    public IReadOnlyDictionary<string, double> Ask(int trialNumber, int lag = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lag, 1);
        List<Observation> history;
        lock (_lock)
        {
            if (trialNumber < _enqueued.Count)
            {
                return _enqueued[trialNumber];
            }

            history = [.. _trials.Where(t => t.State == TrialState.Complete && t.Number <= trialNumber - lag)
                .OrderBy(t => t.Number).Select(t => new Observation(t.Number, t.Params, Loss(t.Value!.Value)))];
        }

        return Sampler.Sample(Space, history, trialNumber);
    }

    public void Tell(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State == TrialState.Complete && (trial.Value is not { } value || !double.IsFinite(value)))
        {
            throw new ArgumentException("a complete trial needs a finite value", nameof(trial));
        }

        lock (_lock)
        {
            if (_trials.Any(t => t.Number == trial.Number))
            {
                throw new ArgumentException($"trial {trial.Number} was told already", nameof(trial));
            }

            _trials.Add(trial);
            _trials.Sort((a, b) => a.Number.CompareTo(b.Number));
        }
    }

    /// <summary>Writes the study file (to a temporary name, then renamed).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    public JsonObject ToJson()
    {
        lock (_lock)
        {
            return new JsonObject
            {
                ["format"] = Format,
                ["name"] = Name,
                ["direction"] = Direction.ToString().ToLowerInvariant(),
                ["sampler"] = Sampler.Describe(),
                ["space"] = Space.Describe(),
                ["attributes"] = Attributes.DeepClone(),
                ["enqueued"] = new JsonArray([.. _enqueued.Select(p => (JsonNode)Space.ToJson(p))]),
                ["trials"] = new JsonArray([.. _trials.Select(TrialToJson)]),
            };
        }
    }

    /// <summary>
    /// Reads a study file written for <paramref name="space"/>; the sampler is rebuilt from the file, so the study
    /// continues as it started. A file for another space, or a damaged one, is refused with a message.
    /// </summary>
    public static Study Load(string path, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (!File.Exists(path))
        {
            throw new StudyFileException($"no study file at {path}");
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new StudyFileException($"{path}: not a study file");
            if ((string?)root["format"] != Format)
            {
                throw new StudyFileException($"{path}: not a {Format} study file");
            }

            if (!JsonNode.DeepEquals(root["space"], space.Describe()))
            {
                throw new StudyFileException($"{path}: the study searched another space ({root["space"]?.ToJsonString()})");
            }

            var direction = Enum.Parse<StudyDirection>((string?)root["direction"] ?? "", ignoreCase: true);
            var study = new Study((string?)root["name"] ?? "", space, SamplerFrom(root["sampler"] as JsonObject, path), direction)
            {
                Attributes = root["attributes"] as JsonObject is { } attributes ? (JsonObject)attributes.DeepClone() : [],
            };
            foreach (var enqueued in root["enqueued"]?.AsArray() ?? [])
            {
                study.Enqueue(ParamsFrom(enqueued as JsonObject, space, path));
            }

            foreach (var trial in root["trials"]?.AsArray() ?? [])
            {
                study.Tell(TrialFrom(trial as JsonObject ?? throw new StudyFileException($"{path}: a trial is not an object"), space, path));
            }

            return study;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new StudyFileException($"{path}: damaged study file ({e.Message})");
        }
    }

    /// <summary>The parameters of an arguments-file object, as far as they are in the space (for enqueuing a known point).</summary>
    public static Dictionary<string, double> ParamsFrom(JsonObject? values, SearchSpace space, string source)
    {
        ArgumentNullException.ThrowIfNull(space);
        var parameters = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in values ?? throw new StudyFileException($"{source}: parameters are not an object"))
        {
            var parameter = space.Parameters.FirstOrDefault(p => p.Name == key)
                ?? throw new StudyFileException($"{source}: parameter {key} is not in the search space");
            parameters[key] = parameter.FromJson(value)
                ?? throw new StudyFileException($"{source}: {key} = {value?.ToJsonString()} is outside the search space");
        }

        return parameters;
    }

    private double Loss(double value) => Direction == StudyDirection.Maximize ? -value : value;

    private JsonNode TrialToJson(Trial trial)
    {
        var json = new JsonObject
        {
            ["number"] = trial.Number,
            ["state"] = trial.State.ToString().ToLowerInvariant(),
            ["value"] = trial.Value,
            ["params"] = Space.ToJson(trial.Params),
            ["duration_seconds"] = Math.Round(trial.Duration.TotalSeconds, 3),
        };
        if (trial.Metrics is not null)
        {
            json["metrics"] = new JsonObject([.. trial.Metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))]);
        }

        if (trial.RunId is not null)
        {
            json["run_id"] = trial.RunId;
        }

        if (trial.Error is not null)
        {
            json["error"] = trial.Error;
        }

        return json;
    }

    private static Trial TrialFrom(JsonObject json, SearchSpace space, string path) => new(
        (int)json["number"]!,
        ParamsFrom(json["params"] as JsonObject, space, path),
        Enum.Parse<TrialState>((string?)json["state"] ?? "", ignoreCase: true),
        (double?)json["value"],
        TimeSpan.FromSeconds((double?)json["duration_seconds"] ?? 0),
        (json["metrics"] as JsonObject)?.ToDictionary(m => m.Key, m => (double)m.Value!, StringComparer.Ordinal),
        (string?)json["run_id"],
        (string?)json["error"]);

    private static ISampler SamplerFrom(JsonObject? json, string path)
    {
        var seed = (int?)json?["seed"] ?? throw new StudyFileException($"{path}: the sampler has no seed");
        return (string?)json!["kind"] switch
        {
            "random" => new RandomSampler(seed),
            "tpe" => new TpeSampler(seed, new TpeOptions
            {
                StartupTrials = (int?)json["startup_trials"] ?? new TpeOptions().StartupTrials,
                Candidates = (int?)json["candidates"] ?? new TpeOptions().Candidates,
                PriorWeight = (double?)json["prior_weight"] ?? new TpeOptions().PriorWeight,
            }),
            var kind => throw new StudyFileException($"{path}: unknown sampler \"{kind}\""),
        };
    }
}
