namespace TagOlym.Core.Evaluation;

/// <summary>
/// scikit-learn's <c>precision_recall_fscore_support</c> on multilabel indicator matrices with <c>zero_division=0</c>,
/// as the anchor ran it (scikit-learn 1.2.1, NumPy 1.24): the same formulas in the same order of floating-point
/// operations, so the numbers agree to the last bit, not just to rounding.
/// <list type="bullet">
/// <item>precision = tp / predicted, 0 when nothing was predicted;</item>
/// <item>recall = tp / support, 0 when nothing is true;</item>
/// <item>F1 = 2·p·r / (p + r), 0 when p + r = 0 (scikit-learn before 1.3; 1.3 switched to 2·tp / (support + predicted),
/// which differs in the last bit for some counts);</item>
/// <item>weighted = per-label values averaged with weights = support, summed pairwise as NumPy does; when every support
/// is 0 all three are 0 (scikit-learn's early return for <c>zero_division=0</c>);</item>
/// <item>micro = the same formulas on tp, predicted and support summed over all labels.</item>
/// </list>
/// Note that weighted F1 is the weighted mean of per-label F1s, not the harmonic mean of weighted precision and recall.
/// </summary>
public static class MultiLabelMetrics
{
    /// <summary>tp / predicted, or 0 when nothing was predicted.</summary>
    public static double Precision(long truePositives, long predicted) => Divide(truePositives, predicted);

    /// <summary>tp / support, or 0 when nothing is true.</summary>
    public static double Recall(long truePositives, long support) => Divide(truePositives, support);

    /// <summary>The harmonic mean 2·p·r / (p + r), or 0 when p + r = 0.</summary>
    public static double F1(double precision, double recall)
    {
        var denominator = precision + recall;
        return denominator == 0.0 ? 0.0 : 2.0 * precision * recall / denominator;
    }

    /// <summary>One entry per label, in column order; <see cref="MetricSet.NumSamples"/> is the label's support.</summary>
    public static MetricSet[] PerLabel(LabelCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var result = new MetricSet[counts.Labels];
        for (var j = 0; j < result.Length; j++)
        {
            var p = Precision(counts.TruePositives[j], counts.Predicted[j]);
            var r = Recall(counts.TruePositives[j], counts.Support[j]);
            result[j] = new MetricSet(p, r, F1(p, r), counts.Support[j]);
        }

        return result;
    }

    /// <summary>The support-weighted average of the per-label values; <see cref="MetricSet.NumSamples"/> is the number of posts.</summary>
    public static MetricSet Weighted(LabelCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var perLabel = PerLabel(counts);
        var weights = new double[perLabel.Length];
        for (var j = 0; j < weights.Length; j++)
        {
            weights[j] = counts.Support[j];
        }

        var totalWeight = NumPySum(weights);
        if (totalWeight == 0.0)
        {
            return new MetricSet(0.0, 0.0, 0.0, counts.Rows);
        }

        var products = new double[perLabel.Length];
        double Average(Func<MetricSet, double> metric)
        {
            for (var j = 0; j < products.Length; j++)
            {
                products[j] = metric(perLabel[j]) * weights[j];
            }

            return NumPySum(products) / totalWeight;
        }

        return new MetricSet(Average(m => m.Precision), Average(m => m.Recall), Average(m => m.F1), counts.Rows);
    }

    /// <summary>Precision, recall and F1 of all label cells pooled; <see cref="MetricSet.NumSamples"/> is the number of posts.</summary>
    public static MetricSet Micro(LabelCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var tp = counts.TotalTruePositives;
        var p = Precision(tp, counts.TotalPredicted);
        var r = Recall(tp, counts.TotalSupport);
        return new MetricSet(p, r, F1(p, r), counts.Rows);
    }

    /// <summary>
    /// NumPy's <c>add.reduce</c> of a contiguous float64 array: pairwise summation, with eight interleaved
    /// accumulators inside blocks of up to 128 values. Reproducing its order of additions is what makes the weighted
    /// averages bit-equal to the anchor's (NumPy reduces at most 8,192 values per inner loop, far more than labels).
    /// </summary>
    internal static double NumPySum(ReadOnlySpan<double> values)
    {
        const int BlockSize = 128;
        var n = values.Length;
        if (n < 8)
        {
            var sum = 0.0;
            foreach (var v in values)
            {
                sum += v;
            }

            return sum;
        }

        if (n <= BlockSize)
        {
            Span<double> r = stackalloc double[8];
            values[..8].CopyTo(r);
            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                for (var k = 0; k < 8; k++)
                {
                    r[k] += values[i + k];
                }
            }

            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++)
            {
                res += values[i];
            }

            return res;
        }

        var half = n / 2;
        half -= half % 8;
        return NumPySum(values[..half]) + NumPySum(values[half..]);
    }

    private static double Divide(long numerator, long denominator) =>
        denominator == 0 ? 0.0 : (double)numerator / denominator;
}
