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

/// <summary>The scoring members a model may fit on the same features.</summary>
[Flags]
public enum EnsembleMembers
{
    None = 0,

    /// <summary>The anchor's SGD learner, as the args file's learner keys configure it.</summary>
    Sgd = 1,

    /// <summary>NB-weighted logistic regression (<see cref="NbLogisticRegression"/>).</summary>
    NbLogistic = 2,

    /// <summary>The anchor's SGD learner over sub-tag classes (<see cref="SubtagClasses"/>).</summary>
    Subtag = 4,
}

/// <summary>
/// Everything that decides a model: the anchor's <c>args.json</c> keys (loaded unchanged, with its aliases
/// <c>ngram_max_range</c> and loss <c>log</c>) and TagOlym's own keys, which default to the anchor's fixed choices.
/// The anchor's <c>threshold</c> list (its tuned thresholds) is accepted and ignored: thresholds are tuned anew.
/// Each key is defined once, in <see cref="Keys"/>: its name, aliases, how it is read and how it is written.
/// </summary>
public sealed record TrainingArgs
{
    public PreprocessOptions Preprocess { get; init; }

    public TfidfOptions Tfidf { get; init; } = new();

    public SgdOptions Sgd { get; init; } = new();

    public ThresholdOptions Thresholds { get; init; } = new();

    /// <summary>The weight of the title's own TF-IDF block (see <see cref="PostVectorizer"/>); 0: no title block.</summary>
    public double TitleBlockWeight { get; init; }

    /// <summary>The scoring members fitted on the same features (the anchor's: the SGD learner alone).</summary>
    public EnsembleMembers Members { get; init; } = EnsembleMembers.Sgd;

    /// <summary>The NB-weighted logistic regression member's settings (used when <see cref="Members"/> has it).</summary>
    public NbLogisticOptions Nb { get; init; } = new();

    /// <summary>How many training posts a raw tag needs to be a class of the <c>subtag</c> member.</summary>
    public int SubtagMinPosts { get; init; } = 40;

    /// <summary>How many features the <c>subtag</c> member keeps weights for (its strongest; see <see cref="LinearModel.KeepStrongest"/>).</summary>
    public int SubtagMaxFeatures { get; init; } = 100_000;

    /// <summary>Whether a second stage (FastTree over the members' scores) is fitted.</summary>
    public bool UseStage { get; init; }

    /// <summary>The second stage's settings (used when <see cref="UseStage"/> is set).</summary>
    public FastTreeStageOptions Stage { get; init; } = new();

    /// <summary>Whether the members' scores are combined (more than one member, or a second stage), rather than
    /// the one member's scores being the model's.</summary>
    public bool Combines => Members != EnsembleMembers.Sgd || UseStage;

    /// <summary>The loss names of the args file (and of scikit-learn).</summary>
    public static readonly IReadOnlyDictionary<string, SgdLoss> LossNames = new Dictionary<string, SgdLoss>
    {
        ["hinge"] = SgdLoss.Hinge,
        ["log_loss"] = SgdLoss.LogLoss,
        ["modified_huber"] = SgdLoss.ModifiedHuber,
    };

    private static readonly IReadOnlyDictionary<string, LearningRateSchedule> ScheduleNames = new Dictionary<string, LearningRateSchedule>
    {
        ["optimal"] = LearningRateSchedule.Optimal,
        ["constant"] = LearningRateSchedule.Constant,
        ["invscaling"] = LearningRateSchedule.InvScaling,
        ["adaptive"] = LearningRateSchedule.Adaptive,
    };

    /// <summary>The member names of the args file's <c>members</c> list.</summary>
    public static readonly IReadOnlyDictionary<string, EnsembleMembers> MemberNames = new Dictionary<string, EnsembleMembers>
    {
        ["sgd"] = EnsembleMembers.Sgd,
        ["nb"] = EnsembleMembers.NbLogistic,
        ["subtag"] = EnsembleMembers.Subtag,
    };

    private static readonly IReadOnlyDictionary<string, SecondStage> StageNames = new Dictionary<string, SecondStage>
    {
        ["none"] = SecondStage.None,
        ["fasttree"] = SecondStage.FastTree,
    };

    private enum SecondStage
    {
        None,
        FastTree,
    }

    private static readonly IReadOnlyDictionary<string, ThresholdSearch> SearchNames = new Dictionary<string, ThresholdSearch>
    {
        ["exact"] = ThresholdSearch.Exact,
        ["grid"] = ThresholdSearch.Grid,
    };

    /// <summary>Every key, in the order of the written form.</summary>
    private static readonly ArgKey[] Keys =
    [
        ArgKey.Flag("nocommand", a => a.Preprocess.NoCommand, (a, v) => a with { Preprocess = a.Preprocess with { NoCommand = v } }),
        ArgKey.Flag("stem", a => a.Preprocess.Stem, (a, v) => a with { Preprocess = a.Preprocess with { Stem = v } }),
        ArgKey.Integer("title_weight", a => a.Preprocess.TitleWeight, (a, v) => a with { Preprocess = a.Preprocess with { TitleWeight = v } }),
        ArgKey.Integer("ngram_max", a => a.Tfidf.NgramMax, (a, v) => a with { Tfidf = a.Tfidf with { NgramMax = v } }, "ngram_max_range"),
        ArgKey.Integer("min_df", a => a.Tfidf.MinDf, (a, v) => a with { Tfidf = a.Tfidf with { MinDf = v } }),
        ArgKey.Nullable("max_features", a => a.Tfidf.MaxFeatures, (a, v) => a with { Tfidf = a.Tfidf with { MaxFeatures = v } }),
        ArgKey.Flag("sublinear_tf", a => a.Tfidf.SublinearTf, (a, v) => a with { Tfidf = a.Tfidf with { SublinearTf = v } }),
        ArgKey.Choice("loss", LossNames, a => a.Sgd.Loss, (a, v) => a with { Sgd = a.Sgd with { Loss = v } }, ("log", SgdLoss.LogLoss)),
        ArgKey.Number("alpha", a => a.Sgd.Alpha, (a, v) => a with { Sgd = a.Sgd with { Alpha = v } }),
        ArgKey.Number("l1_ratio", a => a.Sgd.L1Ratio, (a, v) => a with { Sgd = a.Sgd with { L1Ratio = v } }),
        ArgKey.Choice("learning_rate", ScheduleNames, a => a.Sgd.LearningRate, (a, v) => a with { Sgd = a.Sgd with { LearningRate = v } }),
        ArgKey.Number("eta0", a => a.Sgd.Eta0, (a, v) => a with { Sgd = a.Sgd with { Eta0 = v } }),
        ArgKey.Number("power_t", a => a.Sgd.PowerT, (a, v) => a with { Sgd = a.Sgd with { PowerT = v } }),
        new("class_weight", [],
            a => a.Sgd.BalancedClassWeight ? "balanced" : null,
            (a, value, source) => a with { Sgd = a.Sgd with { BalancedClassWeight = value is not null && ArgKey.Value(value, source, "class_weight", "\"balanced\" or null", n => n.GetValue<string>() == "balanced" ? true : throw new FormatException()) } }),
        ArgKey.Flag("early_stopping", a => a.Sgd.EarlyStopping, (a, v) => a with { Sgd = a.Sgd with { EarlyStopping = v } }),
        ArgKey.Number("validation_fraction", a => a.Sgd.ValidationFraction, (a, v) => a with { Sgd = a.Sgd with { ValidationFraction = v } }),
        ArgKey.Integer("n_iter_no_change", a => a.Sgd.IterationsWithoutChange, (a, v) => a with { Sgd = a.Sgd with { IterationsWithoutChange = v } }),
        ArgKey.Integer("max_iter", a => a.Sgd.MaxIterations, (a, v) => a with { Sgd = a.Sgd with { MaxIterations = v } }),
        new("tol", [],
            a => double.IsFinite(a.Sgd.Tolerance) ? a.Sgd.Tolerance : null,
            (a, value, source) => a with { Sgd = a.Sgd with { Tolerance = value is null ? double.NegativeInfinity : ArgKey.Value(value, source, "tol", "number or null", ArgKey.Number) } }),
        ArgKey.Flag("shuffle", a => a.Sgd.Shuffle, (a, v) => a with { Sgd = a.Sgd with { Shuffle = v } }),
        new("average", [],
            a => a.Sgd.AverageFrom,
            (a, value, source) => a with { Sgd = a.Sgd with { AverageFrom = value?.GetValueKind() switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                _ => ArgKey.Value(value, source, "average", "true, false or a step count", n => checked((int)ArgKey.Number(n))),
            } } }),
        ArgKey.Integer("seed", a => a.Sgd.Seed, (a, v) => a with { Sgd = a.Sgd with { Seed = v } }),
        ArgKey.Choice("threshold_search", SearchNames, a => a.Thresholds.Search, (a, v) => a with { Thresholds = a.Thresholds with { Search = v } }),
        ArgKey.Number("min_precision", a => a.Thresholds.MinPrecision, (a, v) => a with { Thresholds = a.Thresholds with { MinPrecision = v } }),
        ArgKey.Number("title_block_weight", a => a.TitleBlockWeight, (a, v) => a with { TitleBlockWeight = v }),
        new("members", [],
            a => new JsonArray([.. MemberNames.Where(n => a.Members.HasFlag(n.Value)).Select(n => (JsonNode)n.Key)]),
            (a, value, source) => a with { Members = ArgKey.Value(value, source, "members", $"list of {string.Join(", ", MemberNames.Keys)}", ReadMembers) }),
        ArgKey.Number("nb_c", a => a.Nb.C, (a, v) => a with { Nb = a.Nb with { C = v } }),
        ArgKey.Integer("nb_epochs", a => a.Nb.Epochs, (a, v) => a with { Nb = a.Nb with { Epochs = v } }),
        ArgKey.Integer("subtag_min_posts", a => a.SubtagMinPosts, (a, v) => a with { SubtagMinPosts = v }),
        ArgKey.Integer("subtag_max_features", a => a.SubtagMaxFeatures, (a, v) => a with { SubtagMaxFeatures = v }),
        ArgKey.Choice("stage", StageNames, a => a.UseStage ? SecondStage.FastTree : SecondStage.None, (a, v) => a with { UseStage = v == SecondStage.FastTree }),
        ArgKey.Integer("stage_trees", a => a.Stage.Trees, (a, v) => a with { Stage = a.Stage with { Trees = v } }),
        ArgKey.Integer("stage_leaves", a => a.Stage.Leaves, (a, v) => a with { Stage = a.Stage with { Leaves = v } }),
        ArgKey.Number("stage_learning_rate", a => a.Stage.LearningRate, (a, v) => a with { Stage = a.Stage with { LearningRate = v } }),
        ArgKey.Integer("stage_folds", a => a.Stage.Folds, (a, v) => a with { Stage = a.Stage with { Folds = v } }),
        ArgKey.Nullable("stage_scored_folds", a => a.Stage.ScoredFolds, (a, v) => a with { Stage = a.Stage with { ScoredFolds = v } }),
    ];

    private static EnsembleMembers ReadMembers(JsonNode node)
    {
        var members = EnsembleMembers.None;
        foreach (var item in node.AsArray())
        {
            members |= MemberNames.TryGetValue(item?.GetValue<string>() ?? "", out var member) ? member : throw new FormatException();
        }

        return members != EnsembleMembers.None ? members : throw new FormatException();
    }

    private static readonly Dictionary<string, ArgKey> KeyByName = Keys
        .SelectMany(k => k.Aliases.Append(k.Name).Select(name => (name, k)))
        .ToDictionary(p => p.name, p => p.k, StringComparer.Ordinal);

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

        return FromJson(root, source);
    }

    /// <summary>The arguments of a JSON object in the layout of <see cref="ToJson"/> (or the anchor's).</summary>
    public static TrainingArgs FromJson(JsonObject root, string source = "arguments")
    {
        ArgumentNullException.ThrowIfNull(root);
        var args = new TrainingArgs();
        foreach (var (name, value) in root)
        {
            if (name == "threshold")
            {
                continue; // the anchor's tuned thresholds: TagOlym tunes its own
            }

            args = KeyByName.TryGetValue(name, out var key)
                ? key.Apply(args, value, source)
                : throw new TrainingArgsException($"{source}: unknown key \"{name}\"");
        }

        args.Validate(source);
        return args;
    }

    /// <summary>The arguments as a JSON object in the anchor's layout, every key explicit (logged as run params, kept in the model).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var key in Keys)
        {
            json[key.Name] = key.Write(this);
        }

        return json;
    }

    private void Validate(string source)
    {
        try
        {
            Tfidf.Validate();
            Sgd.Validate();
            Nb.Validate();
            Stage.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new TrainingArgsException($"{source}: {e.Message.Split(Environment.NewLine)[0]}");
        }

        if (Preprocess.TitleWeight is < 0 or > 10)
        {
            throw new TrainingArgsException($"{source}: title_weight must be between 0 and 10");
        }

        if (!double.IsFinite(TitleBlockWeight) || TitleBlockWeight is < 0 or > 10)
        {
            throw new TrainingArgsException($"{source}: title_block_weight must be between 0 and 10 (0: no title block)");
        }

        if (SubtagMinPosts < 1 || SubtagMaxFeatures < 1)
        {
            throw new TrainingArgsException($"{source}: subtag_min_posts and subtag_max_features must be at least 1");
        }

        if (Thresholds.MinPrecision is < 0 or > 1)
        {
            throw new TrainingArgsException($"{source}: min_precision must be between 0 and 1");
        }
    }

    /// <summary>One key of the args file: its name and aliases, how its value is written and read.</summary>
    private sealed record ArgKey(string Name, string[] Aliases, Func<TrainingArgs, JsonNode?> Write, Func<TrainingArgs, JsonNode?, string, TrainingArgs> Apply)
    {
        public static ArgKey Flag(string name, Func<TrainingArgs, bool> get, Func<TrainingArgs, bool, TrainingArgs> set) =>
            new(name, [], a => get(a), (a, value, source) => set(a, Value(value, source, name, "true or false", n => n.GetValue<bool>())));

        public static ArgKey Integer(string name, Func<TrainingArgs, int> get, Func<TrainingArgs, int, TrainingArgs> set, params string[] aliases) =>
            new(name, aliases, a => get(a), (a, value, source) => set(a, Value(value, source, name, "whole number", ReadInteger)));

        public static ArgKey Nullable(string name, Func<TrainingArgs, int?> get, Func<TrainingArgs, int?, TrainingArgs> set) =>
            new(name, [], a => get(a), (a, value, source) => set(a, value is null ? null : Value(value, source, name, "whole number or null", ReadInteger)));

        public static ArgKey Number(string name, Func<TrainingArgs, double> get, Func<TrainingArgs, double, TrainingArgs> set) =>
            new(name, [], a => get(a), (a, value, source) => set(a, Value(value, source, name, "number", ArgKey.Number)));

        public static ArgKey Choice<T>(string name, IReadOnlyDictionary<string, T> names, Func<TrainingArgs, T> get, Func<TrainingArgs, T, TrainingArgs> set, params (string Alias, T Value)[] aliases)
            where T : struct, Enum =>
            new(name, [],
                a => names.First(n => EqualityComparer<T>.Default.Equals(n.Value, get(a))).Key,
                (a, value, source) =>
                {
                    var text = Value(value, source, name, "string", n => n.GetValue<string>());
                    var alias = aliases.FirstOrDefault(x => x.Alias == text);
                    return names.TryGetValue(text, out var chosen) ? set(a, chosen)
                        : alias.Alias is not null ? set(a, alias.Value)
                        : throw new TrainingArgsException(
                            $"{source}: {name} \"{text}\" is not one of {string.Join(", ", names.Keys.Concat(aliases.Select(x => x.Alias)))}");
                });

        public static TValue Value<TValue>(JsonNode? value, string source, string key, string expected, Func<JsonNode, TValue> read)
        {
            try
            {
                return value is null ? throw new InvalidOperationException("null") : read(value);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
            {
                throw new TrainingArgsException($"{source}: \"{key}\" has the wrong type or range ({value?.ToJsonString() ?? "null"}), expected a {expected}");
            }
        }

        /// <summary>A number, whether the node was parsed from text or built in memory (e.g. by <see cref="ToJson"/>).</summary>
        public static double Number(JsonNode node) =>
            node.GetValueKind() == JsonValueKind.Number ? node.Deserialize<double>() : throw new FormatException("not a number");

        private static int ReadInteger(JsonNode node)
        {
            var number = Number(node);
            return number == Math.Floor(number) ? checked((int)number) : throw new FormatException(number.ToString(CultureInfo.InvariantCulture));
        }
    }
}
