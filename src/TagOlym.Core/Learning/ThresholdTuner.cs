using TagOlym.Core.Evaluation;

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
    /// Evaluates every cut of the label's precision-recall curve (one per distinct score, O(n log n) in all) and
    /// keeps the best F1. The threshold is the midpoint of the gap below the best cut, so the cut survives rounding
    /// in storage.
    /// </summary>
    private static double Exact(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth, double minPrecision)
    {
        var points = PrecisionRecallCurve.Of(scores, truth).Points;
        var never = points.Count == 0 ? 0.5 : Math.BitIncrement(points[0].Score);
        double bestF1 = 0;
        var bestThreshold = never;
        for (var k = 0; k < points.Count; k++)
        {
            // F1 from the counts, 2·tp / (predicted + positives): exact, where 2·p·r / (p + r) rounds twice
            var point = points[k];
            var f1 = 2.0 * point.TruePositives / (point.Predicted + point.Positives);
            if (f1 > bestF1 && point.Precision >= minPrecision)
            {
                bestF1 = f1;
                bestThreshold = k + 1 < points.Count ? (point.Score + points[k + 1].Score) / 2 : Math.BitDecrement(point.Score);
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
