using System.Text.Json.Nodes;

namespace TagOlym.Core.Learning.Search;

/// <summary>
/// The anchor's two studies over training arguments (DESIGN.md, Optimization): study 1 searches preprocessing,
/// n-grams and the loss and penalty; study 2, starting from study 1's best, the learning-rate schedule.
/// A trial's arguments are the base arguments with the trial's parameters written over them.
/// </summary>
public static class AnchorStudies
{
    /// <summary>
    /// The lower end of <c>alpha</c>. The anchor searched logU(1e-5, 1e-2); ours starts two decades lower, because with
    /// averaged SGD and a title block the best penalties lie below 1e-5 (<c>config/args_best.json</c> has 3e-6).
    /// </summary>
    public const double AlphaLow = 1e-7;

    public static SearchSpace Study1 { get; } = new(
        new CategoricalParameter("nocommand", false, true),
        new CategoricalParameter("stem", false, true),
        new IntParameter("ngram_max", 2, 4),
        new CategoricalParameter("loss", "hinge", "log_loss", "modified_huber"),
        new FloatParameter("l1_ratio", 0, 1),
        new FloatParameter("alpha", AlphaLow, 1e-2, log: true));

    public static SearchSpace Study2 { get; } = new(
        new CategoricalParameter("learning_rate", "optimal", "constant", "invscaling", "adaptive"),
        new FloatParameter("eta0", 1e-2, 1, log: true) { Condition = new SearchCondition("learning_rate", ["constant", "invscaling", "adaptive"]) },
        new FloatParameter("power_t", 0.1, 0.5) { Condition = new SearchCondition("learning_rate", ["invscaling"]) });

    /// <summary>The spaces in the order they run.</summary>
    public static IReadOnlyList<SearchSpace> Studies { get; } = [Study1, Study2];

    /// <summary>The base arguments (every key explicit) with the trial's parameters written over them.</summary>
    public static JsonObject Apply(JsonObject baseArgs, SearchSpace space, IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(baseArgs);
        ArgumentNullException.ThrowIfNull(space);
        var args = (JsonObject)baseArgs.DeepClone();
        foreach (var (key, value) in space.ToJson(parameters))
        {
            args[key] = value?.DeepClone();
        }

        return args;
    }

    /// <summary>
    /// The base arguments' own values of the space's parameters, when all of them lie in the space (null otherwise):
    /// enqueued as trial 0, so a study never ends below the arguments it started from.
    /// </summary>
    public static Dictionary<string, double>? StartingPoint(JsonObject baseArgs, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(baseArgs);
        ArgumentNullException.ThrowIfNull(space);
        var point = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var parameter in space.Parameters)
        {
            if (!space.IsActive(parameter, point))
            {
                continue;
            }

            if (parameter.FromJson(baseArgs[parameter.Name]) is not { } value)
            {
                return null;
            }

            point[parameter.Name] = value;
        }

        return point;
    }
}
