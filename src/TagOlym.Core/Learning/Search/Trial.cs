namespace TagOlym.Core.Learning.Search;

public enum TrialState
{
    /// <summary>The objective returned a value.</summary>
    Complete,

    /// <summary>The objective threw; the trial has no value and samplers ignore it.</summary>
    Failed,
}

/// <summary>
/// One evaluated point of a study: its number (0, 1, ...), its parameters (internal numbers, see
/// <see cref="SearchParameter"/>), and what the objective gave.
/// </summary>
/// <param name="Metrics">Figures worth keeping beside the value (each split's precision, recall, F1).</param>
/// <param name="RunId">The tracking run that recorded the trial, if any.</param>
/// <param name="Error">Why a failed trial failed.</param>
public sealed record Trial(
    int Number,
    IReadOnlyDictionary<string, double> Params,
    TrialState State,
    double? Value,
    TimeSpan Duration,
    IReadOnlyDictionary<string, double>? Metrics = null,
    string? RunId = null,
    string? Error = null);

/// <summary>A finished trial as a sampler sees it: lower <paramref name="Loss"/> is better, whatever the study's direction.</summary>
public readonly record struct Observation(int Number, IReadOnlyDictionary<string, double> Params, double Loss);

/// <summary>Proposes the parameters of the next trial from the finished ones.</summary>
public interface ISampler
{
    /// <summary>
    /// The parameters of trial <paramref name="trialNumber"/> given <paramref name="history"/>. Deterministic: the same
    /// seed, number and history give the same parameters, whatever was asked before.
    /// </summary>
    IReadOnlyDictionary<string, double> Sample(SearchSpace space, IReadOnlyList<Observation> history, int trialNumber);

    /// <summary>How the sampler is written in a study file.</summary>
    System.Text.Json.Nodes.JsonObject Describe();
}

/// <summary>The random stream of one trial: seeded by the sampler's seed and the trial's number only.</summary>
internal static class TrialRandom
{
    public static Random For(int seed, int trialNumber)
    {
        // SplitMix64's finalizer spreads (seed, trial) over the 31 bits Random takes
        var z = ((ulong)(uint)seed << 32) | (uint)trialNumber;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return new Random((int)(z & int.MaxValue));
    }
}
