namespace TagOlym.Core.Evaluation;

/// <summary>
/// One cut of a label's scores: the posts scored at or above <see cref="Score"/> are predicted, as
/// <c>score &gt; t</c> predicts them for any t just below it.
/// </summary>
public readonly record struct CurvePoint(double Score, int TruePositives, int Predicted, int Positives)
{
    public double Precision => MultiLabelMetrics.Precision(TruePositives, Predicted);

    public double Recall => MultiLabelMetrics.Recall(TruePositives, Positives);

    public double F1 => MultiLabelMetrics.F1(Precision, Recall);
}

/// <summary>
/// The precision-recall curve of one label (scikit-learn's <c>precision_recall_curve</c>, read from the highest cut
/// down): one point per distinct score, from the highest to the lowest, so every threshold a model could choose
/// falls between two points. Precision, recall and F1 follow <see cref="MultiLabelMetrics"/> (0 when undefined).
/// </summary>
public sealed class PrecisionRecallCurve
{
    private readonly CurvePoint[] _points;

    private PrecisionRecallCurve(CurvePoint[] points, int positives, int posts)
    {
        _points = points;
        Positives = positives;
        Posts = posts;
    }

    /// <summary>The cuts, from the highest score (fewest posts predicted) to the lowest (every post predicted).</summary>
    public IReadOnlyList<CurvePoint> Points => _points;

    /// <summary>Posts that truly carry the label (the support).</summary>
    public int Positives { get; }

    public int Posts { get; }

    /// <summary>The curve of one label from each post's score and truth; O(n log n).</summary>
    public static PrecisionRecallCurve Of(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth)
    {
        if (scores.Length != truth.Length)
        {
            throw new ArgumentException($"{scores.Length} scores for {truth.Length} truth values");
        }

        var order = new int[scores.Length];
        var keys = new double[scores.Length];
        var positives = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"score {i} is not a number", nameof(scores));
            }

            order[i] = i;
            keys[i] = -scores[i];
            positives += truth[i] ? 1 : 0;
        }

        Array.Sort(keys, order);
        var points = new List<CurvePoint>();
        var truePositives = 0;
        for (var r = 0; r < order.Length; r++)
        {
            truePositives += truth[order[r]] ? 1 : 0;
            if (r + 1 == order.Length || keys[r + 1] != keys[r])
            {
                points.Add(new CurvePoint(-keys[r], truePositives, r + 1, positives));
            }
        }

        return new PrecisionRecallCurve([.. points], positives, scores.Length);
    }

    /// <summary>The counts of the decision <c>score &gt; threshold</c>: the lowest cut above the threshold, or nothing predicted.</summary>
    public CurvePoint At(double threshold)
    {
        // points are in decreasing score: find the last one whose score is above the threshold
        int low = 0, high = _points.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_points[middle].Score > threshold)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low == 0 ? new CurvePoint(threshold, 0, 0, Positives) : _points[low - 1];
    }
}
