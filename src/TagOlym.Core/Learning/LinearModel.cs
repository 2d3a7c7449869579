using System.Numerics;
using TagOlym.Core.Features;

namespace TagOlym.Core.Learning;

/// <summary>
/// One linear classifier per label over the same features: <c>margin[l] = w[l] . x + b[l]</c>.
/// Only features with a non-zero weight for some label are stored (L1 zeroes most of them); their weights
/// sit side by side, one row per feature, so scoring a post costs one memory access per non-zero feature.
/// </summary>
public sealed class LinearModel
{
    /// <summary>Whether every feature's row is the feature itself.</summary>
    private readonly bool _rowIsFeature;

    internal LinearModel(SgdLoss loss, int featureCount, int[] rowOfFeature, float[] weights, double[] intercepts)
    {
        if (rowOfFeature.Length != featureCount || weights.Length % Math.Max(1, intercepts.Length) != 0)
        {
            throw new ArgumentException("the weight table does not match the feature and label counts");
        }

        Loss = loss;
        FeatureCount = featureCount;
        RowOfFeature = rowOfFeature;
        Weights = weights;
        Intercepts = intercepts;

        // every feature has a row, the feature itself (the NB member; the averaged log-loss SGD): scoring skips the
        // lookup of the row, a cache miss per feature in a large model
        _rowIsFeature = weights.Length == (long)featureCount * intercepts.Length && rowOfFeature.Select((row, f) => row == f).All(same => same);
    }

    public SgdLoss Loss { get; }

    public int FeatureCount { get; }

    public int LabelCount => Intercepts.Length;

    /// <summary>How many features carry a non-zero weight for at least one label.</summary>
    public int StoredFeatureCount => LabelCount == 0 ? 0 : Weights.Length / LabelCount;

    /// <summary>For each feature column, its row in <see cref="Weights"/>, or -1 when all its weights are zero.</summary>
    internal int[] RowOfFeature { get; }

    /// <summary>Row-major: the weights of stored feature <c>r</c> are <c>Weights[r * LabelCount ..][..LabelCount]</c>.</summary>
    internal float[] Weights { get; }

    internal double[] Intercepts { get; }

    /// <summary>
    /// The same classifiers with the weights of all but the <paramref name="features"/> strongest features (by their
    /// largest absolute weight over the labels) set to zero, so only those are stored: a model of many labels over
    /// a large vocabulary keeps its size bounded by what matters (ties keep the lower column).
    /// </summary>
    public LinearModel KeepStrongest(int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        if (features >= StoredFeatureCount)
        {
            return this;
        }

        var labels = LabelCount;
        var stored = Enumerable.Range(0, FeatureCount).Where(f => RowOfFeature[f] >= 0).ToArray();
        var strength = stored.Select(f =>
        {
            var max = 0f;
            foreach (var w in Weights.AsSpan(RowOfFeature[f] * labels, labels))
            {
                max = Math.Max(max, Math.Abs(w));
            }

            return max;
        }).ToArray();
        var kept = stored.Select((f, i) => (f, strength[i])).OrderByDescending(p => p.Item2).ThenBy(p => p.f).Take(features).Select(p => p.f).Order().ToArray();
        var rowOfFeature = Enumerable.Repeat(-1, FeatureCount).ToArray();
        var weights = new float[kept.Length * labels];
        for (var r = 0; r < kept.Length; r++)
        {
            rowOfFeature[kept[r]] = r;
            Weights.AsSpan(RowOfFeature[kept[r]] * labels, labels).CopyTo(weights.AsSpan(r * labels, labels));
        }

        return new LinearModel(Loss, FeatureCount, rowOfFeature, weights, [.. Intercepts]);
    }

    public double Weight(int feature, int label)
    {
        var row = RowOfFeature[feature];
        return row < 0 ? 0 : Weights[(row * LabelCount) + label];
    }

    public double Intercept(int label) => Intercepts[label];

    /// <summary>Writes each label's margin for <paramref name="x"/> into <paramref name="margins"/>.</summary>
    public void Margins(SparseRow x, Span<double> margins)
    {
        var labels = LabelCount;
        if (margins.Length != labels)
        {
            throw new ArgumentException($"expected room for {labels} margins", nameof(margins));
        }

        Intercepts.CopyTo(margins);
        var weights = Weights.AsSpan();
        for (var k = 0; k < x.Indices.Length; k++)
        {
            var row = _rowIsFeature ? x.Indices[k] : RowOfFeature[x.Indices[k]];
            if (row < 0)
            {
                continue;
            }

            double value = x.Values[k];
            var w = weights.Slice(row * labels, labels);
            var l = 0;
            if (Vector.IsHardwareAccelerated)
            {
                // eight labels at a time, widened to double: per label the same products added in the same order as
                // the loop below, so the margins are bit-identical to it (and to an explanation's sum of terms)
                var scale = new Vector<double>(value);
                for (; l <= labels - Vector<float>.Count; l += Vector<float>.Count)
                {
                    Vector.Widen(new Vector<float>(w[l..]), out var low, out var high);
                    var lowMargins = margins.Slice(l, Vector<double>.Count);
                    var highMargins = margins.Slice(l + Vector<double>.Count, Vector<double>.Count);
                    (new Vector<double>(lowMargins) + (low * scale)).CopyTo(lowMargins);
                    (new Vector<double>(highMargins) + (high * scale)).CopyTo(highMargins);
                }
            }

            for (; l < labels; l++)
            {
                margins[l] += w[l] * value;
            }
        }
    }

    /// <summary>Writes each label's score (see <see cref="LossFunctions.Score"/>) into <paramref name="scores"/>.</summary>
    public void Scores(SparseRow x, Span<double> scores)
    {
        Margins(x, scores);
        for (var l = 0; l < scores.Length; l++)
        {
            scores[l] = LossFunctions.Score(Loss, scores[l]);
        }
    }
}
