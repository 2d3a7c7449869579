namespace TagOlym.Core.Learning;

/// <summary>How each label's decision threshold is searched.</summary>
public enum ThresholdSearch
{
    /// <summary>Every cut between distinct validation scores: the true F1 maximum.</summary>
    Exact,

    /// <summary>The anchor's grid 0, 0.01, ..., 1 (first best wins); for hinge margins the threshold stays 0.</summary>
    Grid,
}

/// <param name="Search">Exact (default) or the anchor's grid.</param>
/// <param name="MinPrecision">Only thresholds whose validation precision reaches this are eligible; when none
/// is, the label is never suggested (the forum prefers no suggestion to a wrong one). 0 turns it off.</param>
public sealed record ThresholdOptions(ThresholdSearch Search = ThresholdSearch.Exact, double MinPrecision = 0);

/// <summary>Chooses per label the threshold <c>t</c> that maximizes F1 of the rule <c>score &gt; t</c> on validation.</summary>
public static class ThresholdTuner
{
    /// <summary>One threshold for one label, from its validation scores and truth.</summary>
    public static double Tune(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth, SgdLoss loss, ThresholdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (scores.Length != truth.Length)
        {
            throw new ArgumentException("scores and truth differ in length");
        }

        return options.Search switch
        {
            ThresholdSearch.Exact => Exact(scores, truth, options.MinPrecision),
            ThresholdSearch.Grid => loss == SgdLoss.Hinge ? 0 : Grid(scores, truth, options.MinPrecision),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Search, null),
        };
    }

    /// <summary>
    /// Sorts the scores from high to low and evaluates each cut between distinct values: predicting the top k
    /// positive gives TP(k) and FP(k) by counting, so the F1 of every possible threshold costs O(n log n).
    /// The threshold is the midpoint of the gap at the best cut, so the cut survives rounding in storage.
    /// </summary>
    private static double Exact(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth, double minPrecision)
    {
        var n = scores.Length;
        var order = new int[n];
        var sorted = new double[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
            sorted[i] = -scores[i];
        }

        Array.Sort(sorted, order);
        var positives = 0;
        foreach (var t in truth)
        {
            positives += t ? 1 : 0;
        }

        var never = n == 0 ? 0.5 : Math.BitIncrement(-sorted[0]);
        double bestF1 = 0;
        var bestThreshold = never;
        var truePositives = 0;
        var falsePositives = 0;
        for (var i = 0; i < n; i++)
        {
            if (truth[order[i]])
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
            }

            // a cut is only possible where the next score is strictly lower
            var current = -sorted[i];
            if (i + 1 < n && -sorted[i + 1] == current)
            {
                continue;
            }

            var f1 = 2.0 * truePositives / ((2.0 * truePositives) + falsePositives + (positives - truePositives));
            var precision = (double)truePositives / (truePositives + falsePositives);
            if (f1 > bestF1 && precision >= minPrecision)
            {
                bestF1 = f1;
                bestThreshold = i + 1 < n ? (current + -sorted[i + 1]) / 2 : Math.BitDecrement(current);
            }
        }

        return bestThreshold;
    }

    private static double Grid(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth, double minPrecision)
    {
        double bestF1 = -1;
        double bestThreshold = 1;
        for (var step = 0; step <= 100; step++)
        {
            var threshold = step / 100.0;
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                var predicted = scores[i] > threshold;
                tp += predicted && truth[i] ? 1 : 0;
                fp += predicted && !truth[i] ? 1 : 0;
                fn += !predicted && truth[i] ? 1 : 0;
            }

            var f1 = tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
            var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            if (f1 > bestF1 && (precision >= minPrecision || minPrecision <= 0))
            {
                bestF1 = f1;
                bestThreshold = threshold;
            }
        }

        return bestThreshold;
    }
}
