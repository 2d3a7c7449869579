using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;

namespace TagOlym.Core.Tests.Learning;

public sealed class OneVsRestSgdTests
{
    private static double Accuracy(LinearModel model, SparseRow[] rows, LabelMatrix labels, int label)
    {
        var margins = new double[model.LabelCount];
        var correct = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            model.Margins(rows[i], margins);
            correct += (margins[label] > 0) == labels[i, label] ? 1 : 0;
        }

        return (double)correct / rows.Length;
    }

    public static TheoryData<SgdLoss, LearningRateSchedule> EveryLossAndSchedule()
    {
        var data = new TheoryData<SgdLoss, LearningRateSchedule>();
        foreach (var loss in Enum.GetValues<SgdLoss>())
        {
            foreach (var schedule in Enum.GetValues<LearningRateSchedule>())
            {
                data.Add(loss, schedule);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryLossAndSchedule))]
    public void Every_loss_and_schedule_learns_separable_data(SgdLoss loss, LearningRateSchedule schedule)
    {
        var (rows, labels) = SgdTestData.Separable(600);
        var options = new SgdOptions { Loss = loss, LearningRate = schedule, Eta0 = 0.1, PowerT = 0.25, Alpha = 1e-4, L1Ratio = 0.15 };

        var model = OneVsRestSgd.Fit(rows, labels, featureCount: 20, options);

        Accuracy(model, rows, labels, 0).Should().Be(1.0);
        Accuracy(model, rows, labels, 1).Should().Be(1.0);
        model.Weight(0, 0).Should().BePositive("feature 0 is the evidence for label 0");
        model.Weight(1, 1).Should().BePositive("feature 1 is the evidence for label 1");
    }

    [Theory]
    [InlineData(SgdLoss.LogLoss, 0.0)]
    [InlineData(SgdLoss.Hinge, 0.15)]
    [InlineData(SgdLoss.ModifiedHuber, 0.5)]
    public void Averaged_sgd_learns_separable_data(SgdLoss loss, double l1Ratio)
    {
        var (rows, labels) = SgdTestData.Separable(600);
        var options = new SgdOptions { Loss = loss, Alpha = 1e-4, L1Ratio = l1Ratio, AverageFrom = 1 };

        var model = OneVsRestSgd.Fit(rows, labels, featureCount: 20, options);

        Accuracy(model, rows, labels, 0).Should().Be(1.0);
        Accuracy(model, rows, labels, 1).Should().Be(1.0);
    }

    [Fact]
    public void Averaging_from_the_last_step_only_gives_the_plain_weights()
    {
        // averaging over a single weight vector is that vector: a start past the end changes nothing
        var (rows, labels) = SgdTestData.Separable(300);
        var options = new SgdOptions { Loss = SgdLoss.LogLoss, EarlyStopping = false, MaxIterations = 3, L1Ratio = 0.1 };

        var plain = OneVsRestSgd.Fit(rows, labels, 20, options);
        var late = OneVsRestSgd.Fit(rows, labels, 20, options with { AverageFrom = 3 * 300 });

        for (var f = 0; f < 20; f++)
        {
            late.Weight(f, 0).Should().BeApproximately(plain.Weight(f, 0), 1e-5);
        }

        late.Intercept(0).Should().BeApproximately(plain.Intercept(0), 1e-9);
    }

    [Fact]
    public void The_same_seed_gives_the_same_model_whatever_the_parallelism()
    {
        var (rows, labels) = SgdTestData.Separable(400);
        var options = new SgdOptions { Loss = SgdLoss.LogLoss, LearningRate = LearningRateSchedule.InvScaling, Eta0 = 0.5, PowerT = 0.3, Alpha = 1e-5 };

        var first = OneVsRestSgd.Fit(rows, labels, 20, options, maxDegreeOfParallelism: 1);
        var second = OneVsRestSgd.Fit(rows, labels, 20, options, maxDegreeOfParallelism: 2);
        var reseeded = OneVsRestSgd.Fit(rows, labels, 20, options with { Seed = 43 }, maxDegreeOfParallelism: 2);

        var weights = (LinearModel m) => Enumerable.Range(0, 20).SelectMany(f => new[] { m.Weight(f, 0), m.Weight(f, 1) }).ToArray();
        weights(second).Should().Equal(weights(first));
        new[] { second.Intercept(0), second.Intercept(1) }.Should().Equal(first.Intercept(0), first.Intercept(1));
        weights(reseeded).Should().NotEqual(weights(first));
    }

    [Fact]
    public void Grouping_labels_by_size_gives_the_model_round_robin_groups_give()
    {
        // 30 labels: one core groups them eight by size, eight cores deal them out in turn
        var (rows, labels) = SgdTestData.ManyLabels(500, 30);
        var options = new SgdOptions { Alpha = 1e-4, MaxIterations = 20 };

        var bySize = OneVsRestSgd.Fit(rows, labels, 40, options, maxDegreeOfParallelism: 1);
        var inTurn = OneVsRestSgd.Fit(rows, labels, 40, options, maxDegreeOfParallelism: 8);

        inTurn.ShouldEqualBitForBit(bySize);
    }

    [Fact]
    public void Early_stopping_stops_long_before_max_iter()
    {
        var (rows, labels) = SgdTestData.Separable(400);
        var finalEpochs = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var progress = new SynchronousProgress<SgdProgress>(p =>
        {
            if (p.Finished)
            {
                finalEpochs[p.Label] = p.Epoch;
            }
        });

        OneVsRestSgd.Fit(rows, labels, 20, new SgdOptions { MaxIterations = 1000 }, progress);

        // accuracy reaches 1.0 at once on separable data, then cannot improve by tol for 5 epochs
        finalEpochs.Should().HaveCount(2);
        finalEpochs.Values.Should().OnlyContain(epochs => epochs >= 6 && epochs < 50);
    }

    [Fact]
    public void Without_early_stopping_every_epoch_up_to_max_iter_runs()
    {
        var (rows, labels) = SgdTestData.Separable(100);
        var epochs = new System.Collections.Concurrent.ConcurrentBag<int>();
        var progress = new SynchronousProgress<SgdProgress>(p => epochs.Add(p.Epoch));

        OneVsRestSgd.Fit(rows, labels, 20, new SgdOptions { EarlyStopping = false, MaxIterations = 7, Tolerance = double.NegativeInfinity }, progress);

        epochs.Max().Should().Be(7);
    }

    [Fact]
    public void Without_early_stopping_a_stalling_training_loss_stops_the_label()
    {
        // a tolerance no epoch can meet: the first epoch sets the best loss, the next five all fail it
        var (rows, labels) = SgdTestData.Separable(200);
        var finalEpochs = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var progress = new SynchronousProgress<SgdProgress>(p =>
        {
            if (p.Finished)
            {
                finalEpochs[p.Label] = p.Epoch;
            }
        });

        OneVsRestSgd.Fit(rows, labels, 20, new SgdOptions { EarlyStopping = false, Tolerance = 100, MaxIterations = 1000 }, progress);

        finalEpochs.Values.Should().OnlyContain(epochs => epochs == 6);
    }

    [Fact]
    public void Balanced_class_weights_raise_recall_of_a_rare_label()
    {
        // label 1's only evidence is feature 1 at a tiny value, and positives are 1 in 40
        var (rows, labels) = SgdTestData.Separable(800, rareEvery: 40);
        foreach (var row in rows)
        {
            var at = Array.IndexOf(row.Indices, 1);
            if (at >= 0)
            {
                row.Values[at] = 0.05f;
            }
        }

        var options = new SgdOptions { Loss = SgdLoss.Hinge, Alpha = 1e-2, L1Ratio = 0, EarlyStopping = false, MaxIterations = 5 };
        var balanced = OneVsRestSgd.Fit(rows, labels, 20, options);
        var unweighted = OneVsRestSgd.Fit(rows, labels, 20, options with { BalancedClassWeight = false });

        int Recall(LinearModel model)
        {
            var margins = new double[2];
            var hits = 0;
            for (var i = 0; i < rows.Length; i++)
            {
                model.Margins(rows[i], margins);
                hits += labels[i, 1] && margins[1] > 0 ? 1 : 0;
            }

            return hits;
        }

        Recall(balanced).Should().BeGreaterThan(Recall(unweighted));
        balanced.Intercept(1).Should().BeGreaterThan(unweighted.Intercept(1));
    }

    [Fact]
    public void Strong_l1_zeroes_the_noise_features_and_they_are_not_stored()
    {
        var (rows, labels) = SgdTestData.Separable(600);
        var options = new SgdOptions { Loss = SgdLoss.LogLoss, Alpha = 1e-2, L1Ratio = 1.0 };

        var model = OneVsRestSgd.Fit(rows, labels, 20, options);

        model.StoredFeatureCount.Should().BeLessThan(20);
        model.Weight(0, 0).Should().BePositive();
        Enumerable.Range(2, 18).Count(f => model.Weight(f, 0) == 0 && model.Weight(f, 1) == 0).Should().BeGreaterThan(0);
    }

    [Fact]
    public void A_label_with_no_positives_is_never_predicted()
    {
        var (rows, _) = SgdTestData.Separable(100);
        var labels = new LabelMatrix(rows.Length, 1);

        var model = OneVsRestSgd.Fit(rows, labels, 20, new SgdOptions());

        var margins = new double[1];
        rows.Should().OnlyContain(row => Margin(model, row, margins) < 0);
    }

    [Fact]
    public void Mismatched_rows_and_labels_are_refused()
    {
        var (rows, _) = SgdTestData.Separable(10);
        var fit = () => OneVsRestSgd.Fit(rows, new LabelMatrix(9, 1), 20, new SgdOptions());
        fit.Should().Throw<ArgumentException>();
    }

    private static double Margin(LinearModel model, SparseRow row, double[] margins)
    {
        model.Margins(row, margins);
        return margins[0];
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
