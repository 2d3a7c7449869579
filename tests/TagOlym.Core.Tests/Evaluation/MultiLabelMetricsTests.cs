using TagOlym.Core.Evaluation;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Tests.Evaluation;

/// <summary>
/// Hand-worked cases of scikit-learn's precision_recall_fscore_support(zero_division=0) on indicator matrices.
/// Per label: p = tp/pred (0 if pred = 0), r = tp/support (0 if support = 0), f = 2pr/(p+r) (0 if p+r = 0);
/// weighted = sum(metric_j * support_j) / sum(support_j) (all 0 if every support is 0); micro = the same on summed counts.
/// </summary>
public sealed class MultiLabelMetricsTests
{
    private const double Tolerance = 1e-12;
    private static readonly LabelIndex Abc = new(["a", "b", "c"]);

    [Fact]
    public void Perfect_predictions_score_one_everywhere()
    {
        // a: tp 2 of 2, b: tp 2 of 2, c: tp 1 of 1 -> every p, r, f is 1; supports 2, 2, 1
        var truth = Matrices.Of("110", "011", "100");
        var report = Evaluator.Evaluate(truth, Matrices.Of("110", "011", "100"), Abc);

        report.Overall.Should().Be(new MetricSet(1.0, 1.0, 1.0, 3));
        report.Micro.Should().Be(new MetricSet(1.0, 1.0, 1.0, 3));
        report.Class["a"].Should().Be(new MetricSet(1.0, 1.0, 1.0, 2));
        report.Class["b"].Should().Be(new MetricSet(1.0, 1.0, 1.0, 2));
        report.Class["c"].Should().Be(new MetricSet(1.0, 1.0, 1.0, 1));
        report.Slices.Should().BeNull("no texts, no slices (the anchor's df=None)");
    }

    [Fact]
    public void All_wrong_predictions_score_zero()
    {
        // truth a | b ; predicted b,c | a,c: no true positive anywhere.
        // a: tp 0, pred 1, support 1; b: tp 0, pred 1, support 1; c: tp 0, pred 2, support 0 -> all zeros
        // micro: tp 0, pred 4, true 2 -> 0
        var counts = LabelCounts.Of(Matrices.Of("100", "010"), Matrices.Of("011", "101"));
        counts.TruePositives.Should().Equal(0, 0, 0);
        counts.Predicted.Should().Equal(1, 1, 2);
        counts.Support.Should().Equal(1, 1, 0);

        MultiLabelMetrics.PerLabel(counts).Should().Equal(
            new MetricSet(0, 0, 0, 1), new MetricSet(0, 0, 0, 1), new MetricSet(0, 0, 0, 0));
        MultiLabelMetrics.Weighted(counts).Should().Be(new MetricSet(0, 0, 0, 2));
        MultiLabelMetrics.Micro(counts).Should().Be(new MetricSet(0, 0, 0, 2));
    }

    [Fact]
    public void A_label_with_no_true_positives_counts_as_zero_and_weighs_nothing()
    {
        // truth    a | a | -      predicted a,b | a | b
        // a: tp 2, pred 2, support 2 -> 1, 1, 1
        // b: tp 0, pred 2, support 0 -> precision 0/2 = 0, recall 0/0 := 0, f 0
        // weighted (weights 2, 0): (1*2 + 0*0) / 2 = 1 for p, r and f: b's false positives are invisible
        // micro: tp 2, pred 4, true 2 -> p 0.5, r 1, f 2*0.5*1/1.5 = 2/3: micro sees them
        var report = Evaluator.Evaluate(Matrices.Of("10", "10", "00"), Matrices.Of("11", "10", "01"), new LabelIndex(["a", "b"]));

        report.Class["b"].Should().Be(new MetricSet(0, 0, 0, 0));
        report.Class["a"].Should().Be(new MetricSet(1, 1, 1, 2));
        report.Overall.Should().Be(new MetricSet(1, 1, 1, 3));
        report.Micro.Precision.Should().Be(0.5);
        report.Micro.Recall.Should().Be(1.0);
        report.Micro.F1.Should().BeApproximately(2.0 / 3.0, Tolerance);
    }

    [Fact]
    public void A_label_never_predicted_has_precision_zero_not_undefined()
    {
        // truth    a,b | b | a     predicted a | - | a
        // a: tp 2, pred 2, support 2 -> 1, 1, 1
        // b: tp 0, pred 0, support 2 -> precision 0/0 := 0, recall 0, f 0
        // weighted (2, 2): p = (1*2 + 0*2)/4 = 0.5, r = 0.5, f = 0.5
        // micro: tp 2, pred 2, true 4 -> p 1, r 0.5, f = 2*1*0.5/1.5 = 2/3
        var report = Evaluator.Evaluate(Matrices.Of("11", "01", "10"), Matrices.Of("10", "00", "10"), new LabelIndex(["a", "b"]));

        report.Class["b"].Should().Be(new MetricSet(0, 0, 0, 2));
        report.Overall.Should().Be(new MetricSet(0.5, 0.5, 0.5, 3));
        report.Micro.Precision.Should().Be(1.0);
        report.Micro.Recall.Should().Be(0.5);
        report.Micro.F1.Should().BeApproximately(2.0 / 3.0, Tolerance);
    }

    [Fact]
    public void Empty_predictions_score_zero_with_the_supports_kept()
    {
        // nothing predicted: every tp and pred is 0, so p = r = f = 0 per label, weighted and micro
        var report = Evaluator.Evaluate(Matrices.Of("10", "01", "11"), Matrices.Of("00", "00", "00"), new LabelIndex(["a", "b"]));

        report.Class["a"].Should().Be(new MetricSet(0, 0, 0, 2));
        report.Class["b"].Should().Be(new MetricSet(0, 0, 0, 2));
        report.Overall.Should().Be(new MetricSet(0, 0, 0, 3));
        report.Micro.Should().Be(new MetricSet(0, 0, 0, 3));
    }

    [Fact]
    public void Weighted_average_is_zero_when_no_post_carries_any_label()
    {
        // every support is 0: scikit-learn returns (0, 0, 0) for zero_division=0 whether or not anything was predicted
        var labels = new LabelIndex(["a", "b"]);
        var nothingTrue = Matrices.Of("00", "00");

        Evaluator.Evaluate(nothingTrue, Matrices.Of("00", "00"), labels).Overall.Should().Be(new MetricSet(0, 0, 0, 2));
        Evaluator.Evaluate(nothingTrue, Matrices.Of("11", "01"), labels).Overall.Should().Be(new MetricSet(0, 0, 0, 2));
        Evaluator.Evaluate(nothingTrue, Matrices.Of("11", "01"), labels).Micro.Should().Be(new MetricSet(0, 0, 0, 2));
    }

    [Fact]
    public void No_posts_at_all_gives_zeros_not_an_exception()
    {
        var report = Evaluator.Evaluate(new LabelMatrix(0, 2), new LabelMatrix(0, 2), new LabelIndex(["a", "b"]));

        report.Overall.Should().Be(new MetricSet(0, 0, 0, 0));
        report.Micro.Should().Be(new MetricSet(0, 0, 0, 0));
        report.Class["a"].Should().Be(new MetricSet(0, 0, 0, 0));
    }

    [Fact]
    public void Micro_and_weighted_differ_when_a_rare_label_is_over_predicted()
    {
        // post  truth  predicted
        //  0     a      a
        //  1     a      a
        //  2     a      a
        //  3     a      -
        //  4     b      a,b
        //  5     -      b
        // a: tp 3, pred 4, support 4 -> p 0.75, r 0.75, f 0.75
        // b: tp 1, pred 2, support 1 -> p 0.5, r 1, f 2*0.5*1/1.5 = 2/3
        // weighted (4, 1): p = (3 + 0.5)/5 = 0.7, r = (3 + 1)/5 = 0.8, f = (3 + 2/3)/5 = 11/15
        // micro: tp 4, pred 6, true 5: p = 2/3, r = 0.8, f = 2*(2/3)*0.8/(2/3 + 0.8) = 8/11
        var report = Evaluator.Evaluate(
            Matrices.Of("10", "10", "10", "10", "01", "00"),
            Matrices.Of("10", "10", "10", "00", "11", "01"),
            new LabelIndex(["a", "b"]));

        report.Class["a"].Should().Be(new MetricSet(0.75, 0.75, 0.75, 4));
        report.Class["b"].Precision.Should().Be(0.5);
        report.Class["b"].Recall.Should().Be(1.0);
        report.Class["b"].F1.Should().BeApproximately(2.0 / 3.0, Tolerance);

        report.Overall.Precision.Should().BeApproximately(0.7, Tolerance);
        report.Overall.Recall.Should().BeApproximately(0.8, Tolerance);
        report.Overall.F1.Should().BeApproximately(11.0 / 15.0, Tolerance);
        report.Overall.NumSamples.Should().Be(6);

        report.Micro.Precision.Should().BeApproximately(2.0 / 3.0, Tolerance);
        report.Micro.Recall.Should().BeApproximately(0.8, Tolerance);
        report.Micro.F1.Should().BeApproximately(8.0 / 11.0, Tolerance);

        // weighted F1 is the mean of per-label F1s, not the harmonic mean of weighted p and r (2*0.7*0.8/1.5 = 0.7467)
        report.Overall.F1.Should().NotBeApproximately(2 * 0.7 * 0.8 / 1.5, 1e-3);
    }

    [Fact]
    public void Counts_over_selected_rows_count_only_those_rows()
    {
        // rows 0 and 4 of the case above: truth a | b, predicted a | a,b -> a: tp 1, pred 2, support 1; b: tp 1, pred 1, support 1
        var truth = Matrices.Of("10", "10", "10", "10", "01", "00");
        var predicted = Matrices.Of("10", "10", "10", "00", "11", "01");

        var counts = LabelCounts.Of(truth, predicted, [0, 4]);

        counts.Rows.Should().Be(2);
        counts.TruePositives.Should().Equal(1, 1);
        counts.Predicted.Should().Equal(2, 1);
        counts.Support.Should().Equal(1, 1);
    }

    [Fact]
    public void Mismatched_shapes_are_rejected()
    {
        var labels = new LabelIndex(["a", "b"]);
        var act1 = () => Evaluator.Evaluate(Matrices.Of("10", "01"), Matrices.Of("10"), labels);
        var act2 = () => Evaluator.Evaluate(Matrices.Of("10"), Matrices.Of("10"), new LabelIndex(["a", "b", "c"]));
        var act3 = () => Evaluator.Evaluate(Matrices.Of("10"), Matrices.Of("10"), ["one", "two"], labels);

        act1.Should().Throw<ArgumentException>();
        act2.Should().Throw<ArgumentException>();
        act3.Should().Throw<ArgumentException>().WithMessage("*2 texts for 1 posts*");
    }

    [Fact]
    public void Raw_counts_that_cannot_occur_are_rejected()
    {
        var moreHitsThanPredictions = () => new LabelCounts([3], [2], [5], 10);
        var moreSupportThanPosts = () => new LabelCounts([0], [0], [11], 10);

        moreHitsThanPredictions.Should().Throw<ArgumentException>();
        moreSupportThanPosts.Should().Throw<ArgumentException>();
    }
}
