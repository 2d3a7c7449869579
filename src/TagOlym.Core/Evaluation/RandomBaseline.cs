using TagOlym.Core.Labels;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// The floor any model must clear: predicts each label independently with the probability it has in the training
/// labels, ignoring the post. Seeded, so a report can be reproduced.
/// </summary>
public sealed class RandomBaseline
{
    private readonly double[] _prevalence;

    public RandomBaseline(IReadOnlyList<double> prevalence)
    {
        ArgumentNullException.ThrowIfNull(prevalence);
        if (prevalence.Any(p => !(p >= 0.0 && p <= 1.0)))
        {
            throw new ArgumentOutOfRangeException(nameof(prevalence), "each prevalence must be in [0, 1]");
        }

        _prevalence = [.. prevalence];
    }

    /// <summary>Per label, the share of training posts that carry it.</summary>
    public IReadOnlyList<double> Prevalence => _prevalence;

    /// <summary>Learns each label's share of the training posts (all zero when there are none).</summary>
    public static RandomBaseline Fit(LabelMatrix training)
    {
        ArgumentNullException.ThrowIfNull(training);
        var counts = training.ColumnCounts();
        return new RandomBaseline(
            [.. counts.Select(c => training.Rows == 0 ? 0.0 : (double)c / training.Rows)]);
    }

    /// <summary>
    /// <paramref name="rows"/> rows of random labels: cell (i, j) is set with probability <c>Prevalence[j]</c>,
    /// drawn row by row, label by label from <c>new Random(seed)</c>.
    /// </summary>
    public LabelMatrix Predict(int rows, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
#pragma warning disable CA5394 // a seeded, reproducible baseline, not security
        var random = new Random(seed);
        var predicted = new LabelMatrix(rows, _prevalence.Length);
        for (var i = 0; i < rows; i++)
        {
            var row = predicted.Row(i);
            for (var j = 0; j < row.Length; j++)
            {
                row[j] = random.NextDouble() < _prevalence[j];
            }
        }
#pragma warning restore CA5394

        return predicted;
    }
}
