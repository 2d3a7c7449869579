using System.Collections;

namespace TagOlym.Core.Models;

/// <summary>One decision threshold per label: a label is suggested when its score is strictly above its threshold.</summary>
public sealed class LabelThresholds(IReadOnlyList<double> values) : IReadOnlyList<double>
{
    private readonly double[] _values = [.. values ?? throw new ArgumentNullException(nameof(values))];

    public int Count => _values.Length;

    public double this[int index] => _values[index];

    /// <summary>Whether each label is suggested for these scores.</summary>
    public void Decide(ReadOnlySpan<double> scores, Span<bool> suggested)
    {
        if (scores.Length != _values.Length || suggested.Length != _values.Length)
        {
            throw new ArgumentException($"expected {_values.Length} scores and decisions");
        }

        for (var l = 0; l < scores.Length; l++)
        {
            suggested[l] = scores[l] > _values[l];
        }
    }

    public IEnumerator<double> GetEnumerator() => ((IEnumerable<double>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
