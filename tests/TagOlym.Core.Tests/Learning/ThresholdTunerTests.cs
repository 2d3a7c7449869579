using TagOlym.Core.Learning;

namespace TagOlym.Core.Tests.Learning;

public sealed class ThresholdTunerTests
{
    private static double F1At(double threshold, double[] scores, bool[] truth)
    {
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var predicted = scores[i] > threshold;
            tp += predicted && truth[i] ? 1 : 0;
            fp += predicted && !truth[i] ? 1 : 0;
            fn += !predicted && truth[i] ? 1 : 0;
        }

        return tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
    }

    [Fact]
    public void Exact_search_finds_the_cut_worked_by_hand()
    {
        // sorted: .9 T, .8 F, .7 T, .6 T, .2 F. Top 4 -> tp 3, fp 1, fn 0 -> F1 6/7, the best; cut between .6 and .2
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.2];
        bool[] truth = [true, false, true, true, false];

        var threshold = ThresholdTuner.Tune(scores, truth, SgdLoss.LogLoss, new ThresholdOptions());

        threshold.Should().BeApproximately(0.4, 1e-12);
        F1At(threshold, scores, truth).Should().BeApproximately(6.0 / 7, 1e-12);
    }

    [Fact]
    public void Exact_search_reaches_the_true_maximum_on_random_data_and_the_grid_never_beats_it()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 50; trial++)
        {
            var n = random.Next(1, 60);
            var scores = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray();
            var truth = scores.Select(s => random.NextDouble() < s).ToArray();

            var exact = ThresholdTuner.Tune(scores, truth, SgdLoss.LogLoss, new ThresholdOptions());
            var grid = ThresholdTuner.Tune(scores, truth, SgdLoss.LogLoss, new ThresholdOptions(ThresholdSearch.Grid));

            // brute force over every candidate threshold: each distinct score and just below the lowest
            var best = scores.Append(scores.Min() - 1).Max(t => F1At(t, scores, truth));
            F1At(exact, scores, truth).Should().BeApproximately(best, 1e-12);
            F1At(grid, scores, truth).Should().BeLessThanOrEqualTo(best + 1e-12);
        }
    }

    [Fact]
    public void A_minimum_precision_trades_recall_for_precision_or_suggests_nothing()
    {
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.2];
        bool[] truth = [true, false, true, true, false];

        var strict = ThresholdTuner.Tune(scores, truth, SgdLoss.LogLoss, new ThresholdOptions(MinPrecision: 0.95));
        var impossible = ThresholdTuner.Tune(scores, [false, true, false, false, true], SgdLoss.LogLoss, new ThresholdOptions(MinPrecision: 0.95));

        // only the top score alone has precision 1
        strict.Should().BeApproximately(0.85, 1e-12);
        scores.Should().OnlyContain(s => s <= impossible, "no cut reaches 95 % precision, so nothing passes");
    }

    [Fact]
    public void Grid_search_is_the_anchors_first_best_grid_point_and_hinge_keeps_zero()
    {
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.2];
        bool[] truth = [true, false, true, true, false];

        ThresholdTuner.Tune(scores, truth, SgdLoss.LogLoss, new ThresholdOptions(ThresholdSearch.Grid)).Should().Be(0.2);
        ThresholdTuner.Tune(scores, truth, SgdLoss.Hinge, new ThresholdOptions(ThresholdSearch.Grid)).Should().Be(0);
    }
}
