using System.Text.Json.Nodes;

namespace TagOlym.Core.Learning.Search;

/// <summary>The TPE sampler's settings; the defaults are Optuna's <c>TPESampler</c>'s.</summary>
public sealed record TpeOptions
{
    /// <summary>Up to this many trials, the newest, weigh 1 in a Parzen estimator; older ones ramp down linearly (Optuna's <c>default_weights</c>).</summary>
    internal const int FlatWeightTrials = 25;

    /// <summary>Trials drawn at random before the estimators take over.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Candidates drawn from l(x) per parameter; the one with the best l(x)/g(x) is kept.</summary>
    public int Candidates { get; init; } = 24;

    /// <summary>The prior kernel's weight, beside the observations' weights of about 1 each.</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>The share of trials counted as good: Optuna's <c>default_gamma</c>, ceil(0.1 n), at most 25.</summary>
    public Func<int, int> Gamma { get; init; } = n => Math.Min((int)Math.Ceiling(0.1 * n), 25);
}

/// <summary>
/// The tree-structured Parzen estimator (Bergstra et al. 2011) as Optuna's default, univariate sampler: after
/// <see cref="TpeOptions.StartupTrials"/> random trials, the finished trials are split by value into the best
/// gamma(n) and the rest; for each parameter (in order, and only when its condition holds) a Parzen estimator l(x)
/// is built from the good trials that have it and g(x) from the others, <see cref="TpeOptions.Candidates"/>
/// values are drawn from l, and the one maximizing l(x)/g(x) is taken. Every trial's random stream comes from
/// the seed and the trial's number, so a study replays exactly.
/// </summary>
public sealed class TpeSampler(int seed, TpeOptions? options = null) : ISampler
{
    public int Seed { get; } = seed;

    public TpeOptions Options { get; } = options ?? new TpeOptions();

    public IReadOnlyDictionary<string, double> Sample(SearchSpace space, IReadOnlyList<Observation> history, int trialNumber)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(history);
        var random = TrialRandom.For(Seed, trialNumber);
        if (history.Count < Options.StartupTrials)
        {
            return RandomSampler.Draw(space, random);
        }

        var ranked = history.OrderBy(o => o.Loss).ThenBy(o => o.Number).ToList();
        var goodCount = Options.Gamma(ranked.Count);
        var good = ranked.Take(goodCount).OrderBy(o => o.Number).ToList();
        var rest = ranked.Skip(goodCount).OrderBy(o => o.Number).ToList();

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var parameter in space.Parameters)
        {
            if (!space.IsActive(parameter, values))
            {
                continue;
            }

            var below = ParzenEstimator.Build(parameter, ValuesOf(good, parameter.Name), Options);
            var above = ParzenEstimator.Build(parameter, ValuesOf(rest, parameter.Name), Options);
            var (best, bestScore) = (double.NaN, double.NegativeInfinity);
            for (var c = 0; c < Options.Candidates; c++)
            {
                var candidate = below.Sample(random);
                var score = below.LogDensity(candidate) - above.LogDensity(candidate);
                if (double.IsNaN(best) || score > bestScore)
                {
                    (best, bestScore) = (candidate, score);
                }
            }

            values[parameter.Name] = best;
        }

        return values;
    }

    public JsonObject Describe() => new()
    {
        ["kind"] = "tpe",
        ["seed"] = Seed,
        ["startup_trials"] = Options.StartupTrials,
        ["candidates"] = Options.Candidates,
        ["prior_weight"] = Options.PriorWeight,
    };

    /// <summary>The parameter's values in the trials that have it (a conditional parameter is absent from the others).</summary>
    private static List<double> ValuesOf(List<Observation> trials, string name) =>
        [.. trials.Where(t => t.Params.ContainsKey(name)).Select(t => t.Params[name])];
}
