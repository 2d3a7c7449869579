namespace TagOlym.Core.Training;

/// <summary>Something of each part of the split: the training, validation and test posts.</summary>
public sealed record Splits<T>(T Train, T Validation, T Test)
{
    /// <summary>The names the metrics and the runs use for the parts.</summary>
    public static readonly IReadOnlyList<string> Names = ["train", "val", "test"];

    /// <summary>The parts in order, with their names.</summary>
    public IEnumerable<(string Name, T Part)> Named()
    {
        yield return (Names[0], Train);
        yield return (Names[1], Validation);
        yield return (Names[2], Test);
    }

    public Splits<TResult> Select<TResult>(Func<T, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new(map(Train), map(Validation), map(Test));
    }

    /// <summary>Pairs the parts with another split's (e.g. truth with predictions).</summary>
    public Splits<TResult> Zip<TOther, TResult>(Splits<TOther> other, Func<T, TOther, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(map);
        return new(map(Train, other.Train), map(Validation, other.Validation), map(Test, other.Test));
    }

    public IReadOnlyDictionary<string, TResult> ToDictionary<TResult>(Func<T, TResult> map) =>
        Named().ToDictionary(p => p.Name, p => map(p.Part), StringComparer.Ordinal);
}
