using TagOlym.Core.Evaluation;

namespace TagOlym.Core.Tests.Evaluation;

public sealed class PrecisionRecallCurveTests
{
    [Fact]
    public void Points_are_scikit_learns_precision_recall_curve_from_the_highest_cut_down()
    {
        // scikit-learn 1.2.1: precision_recall_curve([1,0,1,0,1], [0.9,0.8,0.8,0.3,0.1]) gives, from threshold 0.1 up,
        // precision [0.6, 0.5, 0.667, 1] and recall [1, 0.667, 0.667, 0.333] (then its extra point (1, 0))
        var curve = PrecisionRecallCurve.Of([0.9, 0.8, 0.8, 0.3, 0.1], [true, false, true, false, true]);

        curve.Points.Select(p => p.Score).Should().Equal(0.9, 0.8, 0.3, 0.1);
        curve.Points.Select(p => p.Precision).Should().Equal(1.0, 2.0 / 3, 0.5, 0.6);
        curve.Points.Select(p => p.Recall).Should().Equal(1.0 / 3, 2.0 / 3, 2.0 / 3, 1.0);
        curve.Points.Select(p => p.Predicted).Should().Equal(1, 3, 4, 5);
        curve.Positives.Should().Be(3);
        curve.Posts.Should().Be(5);
        curve.Points[1].F1.Should().BeApproximately(2.0 / 3, 1e-15);
    }

    [Theory]
    [InlineData(0.95, 0, 0)]     // above every score: nothing predicted
    [InlineData(0.9, 0, 0)]      // "score > t" is strict: 0.9 is not above 0.9
    [InlineData(0.85, 1, 1)]
    [InlineData(0.8, 1, 1)]
    [InlineData(0.5, 2, 3)]
    [InlineData(0.0, 3, 5)]
    [InlineData(-7, 3, 5)]
    public void At_counts_the_posts_scored_above_the_threshold(double threshold, int truePositives, int predicted)
    {
        var curve = PrecisionRecallCurve.Of([0.9, 0.8, 0.8, 0.3, 0.1], [true, false, true, false, true]);

        var point = curve.At(threshold);

        (point.TruePositives, point.Predicted, point.Positives).Should().Be((truePositives, predicted, 3));
    }

    [Fact]
    public void Every_cut_agrees_with_counting_the_decisions_directly()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 50; trial++)
        {
            var n = random.Next(0, 60);
            var scores = Enumerable.Range(0, n).Select(_ => Math.Round((random.NextDouble() * 4) - 2, 1)).ToArray();
            var truth = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3).ToArray();
            var curve = PrecisionRecallCurve.Of(scores, truth);

            curve.Points.Select(p => p.Score).Should().BeInDescendingOrder().And.OnlyHaveUniqueItems();
            curve.Points.Select(p => p.Recall).Should().BeInAscendingOrder();
            foreach (var threshold in scores.Concat([-3.0, 3.0]).SelectMany(s => new[] { s, s - 0.05 }))
            {
                var point = curve.At(threshold);
                var predicted = Enumerable.Range(0, n).Where(i => scores[i] > threshold).ToArray();
                point.Predicted.Should().Be(predicted.Length);
                point.TruePositives.Should().Be(predicted.Count(i => truth[i]));
            }
        }
    }

    [Fact]
    public void Mismatched_lengths_and_nan_scores_are_refused()
    {
        var act = () => PrecisionRecallCurve.Of([0.5], [true, false]);
        var nan = () => PrecisionRecallCurve.Of([double.NaN], [true]);

        act.Should().Throw<ArgumentException>();
        nan.Should().Throw<ArgumentException>().WithMessage("*not a number*");
    }
}
