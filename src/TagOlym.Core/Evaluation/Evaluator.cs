using TagOlym.Core.Labels;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// The anchor's <c>evaluate.get_metrics</c>: overall (support-weighted), micro, per-label and per-slice metrics of a
/// prediction matrix against the truth.
/// </summary>
public static class Evaluator
{
    /// <summary>
    /// Metrics with the anchor's eight slices. The <c>without_frequent_words</c> keywords are, as in the anchor, computed
    /// from <paramref name="preprocessedTexts"/> themselves (the split being evaluated), unless
    /// <paramref name="frequentWords"/> is given: pass <c>FrequentWords.Of(trainingTexts)</c> to give the slice the
    /// same meaning on every split.
    /// </summary>
    /// <param name="truth">True labels, posts x labels.</param>
    /// <param name="predicted">Predicted labels, the same shape.</param>
    /// <param name="preprocessedTexts">Each post's preprocessed text (the anchor's <c>token</c> column), one per row.</param>
    /// <param name="labels">Names of the columns.</param>
    /// <param name="frequentWords">Keywords of <c>without_frequent_words</c>; <see langword="null"/> to compute them from the texts.</param>
    public static EvaluationReport Evaluate(
        LabelMatrix truth,
        LabelMatrix predicted,
        IReadOnlyList<string> preprocessedTexts,
        LabelIndex labels,
        IEnumerable<string>? frequentWords = null)
    {
        ArgumentNullException.ThrowIfNull(preprocessedTexts);
        ArgumentNullException.ThrowIfNull(labels);
        var keywords = frequentWords ?? FrequentWords.Of(preprocessedTexts);
        return Evaluate(truth, predicted, preprocessedTexts, labels, AnchorSlices.For(labels, keywords));
    }

    /// <summary>Metrics over the given slices, in their order; slices with no post are left out.</summary>
    public static EvaluationReport Evaluate(
        LabelMatrix truth,
        LabelMatrix predicted,
        IReadOnlyList<string> preprocessedTexts,
        LabelIndex labels,
        IReadOnlyList<PostSlice> slices)
    {
        Check(truth, predicted, labels);
        ArgumentNullException.ThrowIfNull(preprocessedTexts);
        ArgumentNullException.ThrowIfNull(slices);
        if (preprocessedTexts.Count != truth.Rows)
        {
            throw new ArgumentException($"{preprocessedTexts.Count} texts for {truth.Rows} posts", nameof(preprocessedTexts));
        }

        if (slices.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != slices.Count)
        {
            throw new ArgumentException("slice names must be distinct", nameof(slices));
        }

        var all = new LabelCounts(truth.Labels);
        var perSlice = slices.Select(_ => new LabelCounts(truth.Labels)).ToArray();
        for (var i = 0; i < truth.Rows; i++)
        {
            var t = truth.Row(i);
            var p = predicted.Row(i);
            all.Add(t, p);
            for (var s = 0; s < slices.Count; s++)
            {
                if (slices[s].Contains(t, preprocessedTexts[i]))
                {
                    perSlice[s].Add(t, p);
                }
            }
        }

        var sliceMetrics = new OrderedDictionary<string, MetricSet>(StringComparer.Ordinal);
        for (var s = 0; s < slices.Count; s++)
        {
            if (perSlice[s].Rows > 0)
            {
                sliceMetrics.Add(slices[s].Name, MultiLabelMetrics.Micro(perSlice[s]));
            }
        }

        return Report(all, labels, sliceMetrics);
    }

    /// <summary>Metrics without slices (the anchor's <c>df=None</c>): overall, micro and per label.</summary>
    public static EvaluationReport Evaluate(LabelMatrix truth, LabelMatrix predicted, LabelIndex labels)
    {
        Check(truth, predicted, labels);
        return Report(LabelCounts.Of(truth, predicted), labels, slices: null);
    }

    private static EvaluationReport Report(
        LabelCounts counts, LabelIndex labels, IReadOnlyDictionary<string, MetricSet>? slices)
    {
        var perLabel = MultiLabelMetrics.PerLabel(counts);
        var byName = new OrderedDictionary<string, MetricSet>(labels.Count, StringComparer.Ordinal);
        for (var j = 0; j < perLabel.Length; j++)
        {
            byName.Add(labels.Names[j], perLabel[j]);
        }

        return new EvaluationReport
        {
            Overall = MultiLabelMetrics.Weighted(counts),
            Micro = MultiLabelMetrics.Micro(counts),
            Class = byName,
            Slices = slices,
        };
    }

    private static void Check(LabelMatrix truth, LabelMatrix predicted, LabelIndex labels)
    {
        LabelCounts.CheckSameShape(truth, predicted);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != truth.Labels)
        {
            throw new ArgumentException($"{labels.Count} label names for {truth.Labels} label columns", nameof(labels));
        }
    }
}
