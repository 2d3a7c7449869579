using System.Text.Json.Serialization;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// How well a model ranks the labels of a post, whatever the thresholds: the way Annif and extreme multi-label
/// classification report tag suggestions. Labels are ranked by score, highest first; equal scores keep label order.
/// <list type="bullet">
/// <item>precision@k: the share of the k top-ranked labels that are true, averaged over the posts that have a true
/// label (a post with none has nothing to rank for);</item>
/// <item>nDCG@k: DCG@k = Σ<sub>i≤k</sub> rel<sub>i</sub> / log2(i + 1) over the top k, divided by the best possible
/// DCG@k for the post's number of true labels, averaged over the same posts;</item>
/// <item>LRAP: scikit-learn's <c>label_ranking_average_precision_score</c>, over all posts: for each true label, the
/// share of true labels among the labels scored at least as high, averaged over the post's true labels; a post whose
/// labels are all true or all false counts 1.</item>
/// </list>
/// </summary>
/// <param name="RankedPosts">Posts with at least one true label: those precision@k and nDCG@k average over.</param>
/// <param name="Posts">All posts: those LRAP averages over.</param>
public sealed record RankingMetrics(
    [property: JsonPropertyName("precision_at_1")] double PrecisionAt1,
    [property: JsonPropertyName("precision_at_3")] double PrecisionAt3,
    [property: JsonPropertyName("ndcg_at_3")] double NdcgAt3,
    [property: JsonPropertyName("lrap")] double Lrap,
    [property: JsonPropertyName("ranked_posts")] int RankedPosts,
    [property: JsonPropertyName("posts")] int Posts)
{
    /// <summary>Precision@1, precision@3, nDCG@3 and LRAP of one split.</summary>
    /// <param name="truth">True labels, posts x labels.</param>
    /// <param name="scores">One score per label for each post, in the same order.</param>
    public static RankingMetrics Of(LabelMatrix truth, IReadOnlyList<double[]> scores)
    {
        CheckShape(truth, scores);
        var ranked = 0;
        for (var i = 0; i < truth.Rows; i++)
        {
            ranked += truth.Row(i).Contains(true) ? 1 : 0;
        }

        return new RankingMetrics(
            PrecisionAtK(truth, scores, 1),
            PrecisionAtK(truth, scores, 3),
            NdcgAtK(truth, scores, 3),
            LabelRankingAveragePrecision(truth, scores),
            ranked,
            truth.Rows);
    }

    /// <summary>The mean over posts with a true label of |true ∩ top k| / k; 0 when no post has one.</summary>
    public static double PrecisionAtK(LabelMatrix truth, IReadOnlyList<double[]> scores, int k) =>
        MeanOverLabeledPosts(truth, scores, k, (row, order) =>
        {
            var hits = 0;
            for (var r = 0; r < k; r++)
            {
                hits += r < order.Length && row[order[r]] ? 1 : 0;
            }

            return (double)hits / k;
        });

    /// <summary>The mean over posts with a true label of DCG@k / ideal DCG@k (binary relevance); 0 when no post has one.</summary>
    public static double NdcgAtK(LabelMatrix truth, IReadOnlyList<double[]> scores, int k) =>
        MeanOverLabeledPosts(truth, scores, k, (row, order) =>
        {
            double dcg = 0, ideal = 0;
            var trueLabels = 0;
            foreach (var cell in row)
            {
                trueLabels += cell ? 1 : 0;
            }

            for (var r = 0; r < Math.Min(k, order.Length); r++)
            {
                var discount = 1.0 / Math.Log2(r + 2);
                dcg += row[order[r]] ? discount : 0;
                ideal += r < trueLabels ? discount : 0;
            }

            return dcg / ideal;
        });

    /// <summary>scikit-learn's <c>label_ranking_average_precision_score</c> (no sample weights).</summary>
    public static double LabelRankingAveragePrecision(LabelMatrix truth, IReadOnlyList<double[]> scores)
    {
        CheckShape(truth, scores);
        if (truth.Rows == 0)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = 0; i < truth.Rows; i++)
        {
            ReadOnlySpan<bool> row = truth.Row(i);
            var s = scores[i];
            var relevant = 0;
            foreach (var cell in row)
            {
                relevant += cell ? 1 : 0;
            }

            if (relevant == 0 || relevant == row.Length)
            {
                sum += 1;
                continue;
            }

            // for each true label j: rank = labels scored >= s[j] (ties take the worst rank, as rankdata "max"),
            // hits = true labels among them
            var post = 0.0;
            for (var j = 0; j < row.Length; j++)
            {
                if (!row[j])
                {
                    continue;
                }

                int rank = 0, hits = 0;
                for (var l = 0; l < row.Length; l++)
                {
                    if (s[l] >= s[j])
                    {
                        rank++;
                        hits += row[l] ? 1 : 0;
                    }
                }

                post += (double)hits / rank;
            }

            sum += post / relevant;
        }

        return sum / truth.Rows;
    }

    /// <summary>The label indices of one post from the highest score to the lowest; equal scores keep label order.</summary>
    internal static int[] RankLabels(ReadOnlySpan<double> scores)
    {
        var order = new int[scores.Length];
        for (var l = 0; l < order.Length; l++)
        {
            order[l] = l;
        }

        var copy = scores.ToArray();
        Array.Sort(order, (a, b) => copy[b] != copy[a] ? copy[b].CompareTo(copy[a]) : a.CompareTo(b));
        return order;
    }

    private static double MeanOverLabeledPosts(LabelMatrix truth, IReadOnlyList<double[]> scores, int k, Func<Span<bool>, int[], double> ofPost)
    {
        CheckShape(truth, scores);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        double sum = 0;
        var posts = 0;
        for (var i = 0; i < truth.Rows; i++)
        {
            var row = truth.Row(i);
            if (!row.Contains(true))
            {
                continue;
            }

            sum += ofPost(row, RankLabels(scores[i]));
            posts++;
        }

        return posts == 0 ? 0 : sum / posts;
    }

    private static void CheckShape(LabelMatrix truth, IReadOnlyList<double[]> scores)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != truth.Rows)
        {
            throw new ArgumentException($"{scores.Count} score rows for {truth.Rows} posts", nameof(scores));
        }

        for (var i = 0; i < scores.Count; i++)
        {
            if (scores[i].Length != truth.Labels)
            {
                throw new ArgumentException($"score row {i} has {scores[i].Length} values for {truth.Labels} labels", nameof(scores));
            }
        }
    }
}
