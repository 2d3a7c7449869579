using TagOlym.Core.Evaluation;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Tests.Evaluation;

/// <summary>
/// Bit-for-bit agreement with numbers the anchor published: its <c>config/test_metrics.json</c> (5,116 test posts,
/// scikit-learn 1.2.1). Each label's counts are recovered exactly from its precision, recall and support
/// (tp = recall * support, predicted = tp / precision, both integers); a matrix with those counts must then give the
/// very same doubles. Two things only pass bit-exactly: F1 computed as 2pr/(p+r) (scikit-learn >= 1.3's
/// 2tp/(support+predicted) is off by one ulp for combinatorics, function, number theory, polynomial, trigonometry) and
/// the weighted sum added in NumPy's pairwise order (a left-to-right sum gives 0.7401183836270934 for precision).
/// </summary>
public sealed class AnchorParityTests
{
    // label, tp, predicted, support, and the anchor's precision, recall, f1 for it
    private static readonly (string Label, int Tp, int Predicted, int Support, double P, double R, double F)[] TestSplit =
    [
        ("algebra", 789, 1237, 1089, 0.6378334680679062, 0.7245179063360881, 0.6784178847807395),
        ("circle", 366, 751, 515, 0.4873501997336884, 0.7106796116504854, 0.5781990521327014),
        ("combinatorics", 915, 1222, 1116, 0.7487725040916531, 0.8198924731182796, 0.7827202737382379),
        ("function", 252, 335, 494, 0.7522388059701492, 0.5101214574898786, 0.6079613992762365),
        ("geometry", 1744, 1867, 1952, 0.9341189073379753, 0.8934426229508197, 0.9133280963603038),
        ("inequality", 347, 492, 639, 0.7052845528455285, 0.543035993740219, 0.6136162687886826),
        ("modular arithmetic", 63, 235, 186, 0.2680851063829787, 0.3387096774193548, 0.2992874109263658),
        ("number theory", 926, 1245, 1118, 0.7437751004016064, 0.8282647584973166, 0.7837494710114262),
        ("polynomial", 162, 185, 254, 0.8756756756756757, 0.6377952755905512, 0.7380410022779043),
        ("trigonometry", 71, 180, 235, 0.39444444444444443, 0.3021276595744681, 0.34216867469879514),
    ];

    private const int TestPosts = 5116;

    [Fact]
    public void Per_label_and_weighted_metrics_equal_the_anchors_test_metrics_to_the_bit()
    {
        var labels = new LabelIndex(TestSplit.Select(x => x.Label));
        var truth = new LabelMatrix(TestPosts, labels.Count);
        var predicted = new LabelMatrix(TestPosts, labels.Count);
        foreach (var (label, tp, pred, support, _, _, _) in TestSplit)
        {
            // column j: rows [0, tp) hit, then pred - tp false positives, then support - tp misses
            var j = labels.IndexOf(label);
            var row = 0;
            for (var k = 0; k < tp; k++, row++)
            {
                truth[row, j] = predicted[row, j] = true;
            }

            for (var k = 0; k < pred - tp; k++, row++)
            {
                predicted[row, j] = true;
            }

            for (var k = 0; k < support - tp; k++, row++)
            {
                truth[row, j] = true;
            }
        }

        var report = Evaluator.Evaluate(truth, predicted, labels);

        foreach (var (label, _, _, support, p, r, f) in TestSplit)
        {
            report.Class[label].Should().Be(new MetricSet(p, r, f, support), label);
        }

        report.Overall.Should().Be(new MetricSet(0.7401183836270933, 0.741642537509871, 0.7350759417104586, TestPosts));
    }

    [Theory]
    // the anchor's slices: tp, predicted, true (summed over labels), posts in the slice, and its p, r, f
    [InlineData(42, 63, 58, 86, 0.6666666666666666, 0.7241379310344828, 0.6942148760330579)] // short_post
    [InlineData(192, 321, 436, 199, 0.5981308411214953, 0.44036697247706424, 0.5072655217965653)] // function_not_algebra
    [InlineData(4, 11, 7, 5, 0.36363636363636365, 0.5714285714285714, 0.4444444444444444)] // polynomial_not_algebra
    [InlineData(174, 221, 248, 184, 0.7873303167420814, 0.7016129032258065, 0.7420042643923241)] // without_frequent_words
    public void Micro_metrics_equal_the_anchors_slice_metrics_to_the_bit(
        long tp, long predicted, long support, long posts, double p, double r, double f)
    {
        // the totals spread over the ten labels (one label column cannot hold more than one hit per post)
        var counts = new LabelCounts(Spread(tp), Spread(predicted), Spread(support), posts);

        var micro = MultiLabelMetrics.Micro(counts);

        counts.TotalPredicted.Should().Be(predicted);
        micro.Should().Be(new MetricSet(p, r, f, posts));
    }

    private static long[] Spread(long total) =>
        [.. Enumerable.Range(0, 10).Select(j => (total / 10) + (j < total % 10 ? 1 : 0))];

    [Fact]
    public void NumPy_pairwise_sum_differs_from_a_left_to_right_sum_where_it_matters()
    {
        // support-weighted precisions of the test split: the order of additions decides the last bit
        var products = TestSplit.Select(x => x.P * x.Support).ToArray();
        var leftToRight = products.Aggregate(0.0, (s, v) => s + v);

        var pairwise = MultiLabelMetrics.NumPySum(products);

        (pairwise / 7598).Should().Be(0.7401183836270933);
        (leftToRight / 7598).Should().Be(0.7401183836270934);
    }

    [Fact]
    public void NumPy_pairwise_sum_adds_small_arrays_in_order_and_blocks_in_eight_lanes()
    {
        // fewer than 8 values: left to right, so 1e16 + 1 + 1 loses both ones (1e16 + 1 rounds back to 1e16)
        MultiLabelMetrics.NumPySum([1e16, 1, 1]).Should().Be(1e16);

        // 10 values: lanes 0..7 hold the first eight, combined ((0+1)+(2+3))+((4+5)+(6+7)), then 8 and 9 are added.
        // Near 1e16 doubles are 2 apart and a tie rounds to the neighbour that is a multiple of 4 (1e16 is one):
        // lane0 + lane1 = 1e16 + 1 -> 1e16; + (1+1) -> 1e16 + 2; + ((1+1)+(1+1)) -> 1e16 + 6;
        // + 1 -> 1e16 + 7, a tie -> 1e16 + 8; + 1 -> 1e16 + 9, a tie -> 1e16 + 8. Left to right every + 1 is lost: 1e16.
        MultiLabelMetrics.NumPySum([1e16, 1, 1, 1, 1, 1, 1, 1, 1, 1]).Should().Be(1e16 + 8);
        MultiLabelMetrics.NumPySum(Enumerable.Repeat(0.5, 300).ToArray()).Should().Be(150);
    }
}
