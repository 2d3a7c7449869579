using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TagOlym.Core.Features;
using TagOlym.Core.Text;

namespace TagOlym.Core.Learning;

/// <summary>An arguments file that cannot be used; the message names the file, the key and what is wrong.</summary>
public sealed class TrainingArgsException(string message) : Exception(message)
{
    public TrainingArgsException()
        : this("invalid training arguments")
    {
    }

    public TrainingArgsException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}

/// <summary>
/// Everything that decides a model: the anchor's <c>args.json</c> keys (loaded unchanged, with its aliases
/// <c>ngram_max_range</c> and loss <c>log</c>) and TagOlym's own keys, which default to the anchor's fixed choices.
/// The anchor's <c>threshold</c> list (its tuned thresholds) is accepted and ignored: thresholds are tuned anew.
/// </summary>
public sealed record TrainingArgs
{
    public bool NoCommand { get; init; }

    public bool Stem { get; init; }

    /// <summary>How many more times the title's words count (see <see cref="PreprocessOptions.TitleWeight"/>).</summary>
    public int TitleWeight { get; init; }

    public TfidfOptions Tfidf { get; init; } = new();

    public SgdOptions Sgd { get; init; } = new();

    public ThresholdOptions Thresholds { get; init; } = new();

    public PreprocessOptions Preprocess => new(NoCommand, Stem, TitleWeight);

    /// <summary>Reads an arguments file; unknown keys and bad values are errors that name the key.</summary>
    public static TrainingArgs Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no arguments file at {path}", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static TrainingArgs Parse(string json, string source = "arguments")
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new TrainingArgsException($"{source}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new TrainingArgsException($"{source}: not valid JSON ({e.Message})");
        }

        var args = new TrainingArgs();
        var tfidf = args.Tfidf;
        var sgd = args.Sgd;
        var thresholds = args.Thresholds;
        foreach (var (key, value) in root)
        {
            string Text() => Read(value, source, key, n => n.GetValue<string>());
            double Number() => Read(value, source, key, n => n.GetValue<double>());
            int Integer() => Read(value, source, key, n => checked((int)n.GetValue<double>()));
            bool Flag() => Read(value, source, key, n => n.GetValue<bool>());
            switch (key)
            {
                case "nocommand": args = args with { NoCommand = Flag() }; break;
                case "stem": args = args with { Stem = Flag() }; break;
                case "title_weight": args = args with { TitleWeight = Integer() }; break;
                case "ngram_max" or "ngram_max_range": tfidf = tfidf with { NgramMax = Integer() }; break;
                case "min_df": tfidf = tfidf with { MinDf = Integer() }; break;
                case "max_features": tfidf = tfidf with { MaxFeatures = value is null ? null : Integer() }; break;
                case "sublinear_tf": tfidf = tfidf with { SublinearTf = Flag() }; break;
                case "loss": sgd = sgd with { Loss = ParseLoss(Text(), source) }; break;
                case "alpha": sgd = sgd with { Alpha = Number() }; break;
                case "l1_ratio": sgd = sgd with { L1Ratio = Number() }; break;
                case "learning_rate": sgd = sgd with { LearningRate = ParseSchedule(Text(), source) }; break;
                case "eta0": sgd = sgd with { Eta0 = Number() }; break;
                case "power_t": sgd = sgd with { PowerT = Number() }; break;
                case "class_weight": sgd = sgd with { BalancedClassWeight = value is not null && Text() == "balanced" }; break;
                case "early_stopping": sgd = sgd with { EarlyStopping = Flag() }; break;
                case "validation_fraction": sgd = sgd with { ValidationFraction = Number() }; break;
                case "n_iter_no_change": sgd = sgd with { IterationsWithoutChange = Integer() }; break;
                case "max_iter": sgd = sgd with { MaxIterations = Integer() }; break;
                case "tol": sgd = sgd with { Tolerance = value is null ? double.NegativeInfinity : Number() }; break;
                case "shuffle": sgd = sgd with { Shuffle = Flag() }; break;
                case "average": sgd = sgd with { AverageFrom = value?.GetValueKind() == JsonValueKind.True ? 1 : value?.GetValueKind() == JsonValueKind.False ? 0 : Integer() }; break;
                case "seed": sgd = sgd with { Seed = Integer() }; break;
                case "threshold_search": thresholds = thresholds with { Search = ParseSearch(Text(), source) }; break;
                case "min_precision": thresholds = thresholds with { MinPrecision = Number() }; break;
                case "threshold": break; // the anchor's tuned thresholds: TagOlym tunes its own
                default: throw new TrainingArgsException($"{source}: unknown key \"{key}\"");
            }
        }

        args = args with { Tfidf = tfidf, Sgd = sgd, Thresholds = thresholds };
        try
        {
            tfidf.Validate();
            sgd.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new TrainingArgsException($"{source}: {e.Message.Split(Environment.NewLine)[0]}");
        }

        if (args.TitleWeight is < 0 or > 10)
        {
            throw new TrainingArgsException($"{source}: title_weight must be between 0 and 10");
        }

        if (thresholds.MinPrecision is < 0 or > 1)
        {
            throw new TrainingArgsException($"{source}: min_precision must be between 0 and 1");
        }

        return args;
    }

    /// <summary>The arguments as a JSON object in the anchor's layout, every key explicit (logged as run params).</summary>
    public JsonObject ToJson() => new()
    {
        ["nocommand"] = NoCommand,
        ["stem"] = Stem,
        ["title_weight"] = TitleWeight,
        ["ngram_max"] = Tfidf.NgramMax,
        ["min_df"] = Tfidf.MinDf,
        ["max_features"] = Tfidf.MaxFeatures,
        ["sublinear_tf"] = Tfidf.SublinearTf,
        ["loss"] = Models.TagModel.LossName(Sgd.Loss),
        ["alpha"] = Sgd.Alpha,
        ["l1_ratio"] = Sgd.L1Ratio,
        ["learning_rate"] = Sgd.LearningRate.ToString().ToLowerInvariant(),
        ["eta0"] = Sgd.Eta0,
        ["power_t"] = Sgd.PowerT,
        ["class_weight"] = Sgd.BalancedClassWeight ? "balanced" : null,
        ["early_stopping"] = Sgd.EarlyStopping,
        ["validation_fraction"] = Sgd.ValidationFraction,
        ["n_iter_no_change"] = Sgd.IterationsWithoutChange,
        ["max_iter"] = Sgd.MaxIterations,
        ["tol"] = double.IsFinite(Sgd.Tolerance) ? Sgd.Tolerance : null,
        ["shuffle"] = Sgd.Shuffle,
        ["average"] = Sgd.AverageFrom,
        ["seed"] = Sgd.Seed,
        ["threshold_search"] = Thresholds.Search.ToString().ToLowerInvariant(),
        ["min_precision"] = Thresholds.MinPrecision,
    };

    private static T Read<T>(JsonNode? value, string source, string key, Func<JsonNode, T> read)
    {
        try
        {
            return value is null ? throw new InvalidOperationException("null") : read(value);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            throw new TrainingArgsException(
                $"{source}: \"{key}\" has the wrong type or range ({value?.ToJsonString() ?? "null"}), expected a {typeof(T).Name.ToLower(CultureInfo.InvariantCulture)}");
        }
    }

    private static SgdLoss ParseLoss(string loss, string source) => loss switch
    {
        "hinge" => SgdLoss.Hinge,
        "log_loss" or "log" => SgdLoss.LogLoss,
        "modified_huber" => SgdLoss.ModifiedHuber,
        _ => throw new TrainingArgsException($"{source}: loss \"{loss}\" is not one of hinge, log_loss (log), modified_huber"),
    };

    private static LearningRateSchedule ParseSchedule(string schedule, string source) => schedule switch
    {
        "optimal" => LearningRateSchedule.Optimal,
        "constant" => LearningRateSchedule.Constant,
        "invscaling" => LearningRateSchedule.InvScaling,
        "adaptive" => LearningRateSchedule.Adaptive,
        _ => throw new TrainingArgsException($"{source}: learning_rate \"{schedule}\" is not one of optimal, constant, invscaling, adaptive"),
    };

    private static ThresholdSearch ParseSearch(string search, string source) => search switch
    {
        "exact" => ThresholdSearch.Exact,
        "grid" => ThresholdSearch.Grid,
        _ => throw new TrainingArgsException($"{source}: threshold_search \"{search}\" is not one of exact, grid"),
    };
}
