using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;

namespace TagOlym.Core.Tests.Learning;

public sealed class NbLogisticRegressionTests
{
    [Fact]
    public void The_log_count_ratio_matches_the_formula_worked_by_hand()
    {
        // 4 rows, 3 features, one label: rows 0 and 1 positive
        SparseRow[] rows =
        [
            new([0, 1], [0.5f, 0.5f]),
            new([0], [1f]),
            new([1, 2], [0.3f, 0.9f]),
            new([2], [2f]),
        ];
        var labels = new LabelMatrix(4, 1) { [0, 0] = true, [1, 0] = true };

        var ratio = NbLogisticRegression.LogCountRatios(rows, labels, featureCount: 3);

        // binarized counts: positive p = 1 + (2, 1, 0) = (3, 2, 1), |p| = 6; negative q = 1 + (0, 1, 2) = (1, 2, 3), |q| = 6
        ratio.Should().Equal(
            [(float)Math.Log(3.0 / 6 / (1.0 / 6)), (float)Math.Log(2.0 / 6 / (2.0 / 6)), (float)Math.Log(1.0 / 6 / (3.0 / 6))],
            (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void It_learns_separable_data_with_the_ratio_folded_into_the_weights()
    {
        var (rows, labels) = SgdTestData.Separable(600);

        var model = NbLogisticRegression.Fit(rows, labels, featureCount: 20, new NbLogisticOptions(C: 4, Epochs: 10));

        model.Loss.Should().Be(SgdLoss.LogLoss);
        var margins = new double[2];
        for (var i = 0; i < rows.Length; i++)
        {
            model.Margins(rows[i], margins);
            (margins[0] > 0).Should().Be(labels[i, 0]);
            (margins[1] > 0).Should().Be(labels[i, 1]);
        }

        model.Weight(0, 0).Should().BePositive();
        model.Weight(1, 1).Should().BePositive();
        model.Weight(1, 0).Should().BeLessThan(model.Weight(0, 0));
    }

    [Fact]
    public void The_weights_do_not_depend_on_how_many_threads_fit_them()
    {
        var (rows, labels) = SgdTestData.Separable(300);
        var options = new NbLogisticOptions(Epochs: 3);

        var one = NbLogisticRegression.Fit(rows, labels, 20, options, maxDegreeOfParallelism: 1);
        var two = NbLogisticRegression.Fit(rows, labels, 20, options, maxDegreeOfParallelism: 2);

        for (var f = 0; f < 20; f++)
        {
            two.Weight(f, 0).Should().Be(one.Weight(f, 0));
            two.Weight(f, 1).Should().Be(one.Weight(f, 1));
        }

        two.Intercept(1).Should().Be(one.Intercept(1));
    }

    [Fact]
    public void Labels_in_groups_of_any_size_get_the_weights_a_single_group_would_give()
    {
        // 19 labels: one core makes groups of 7, 6 and 6 lanes; five cores, groups of 4 and 3
        var (rows, labels) = SgdTestData.ManyLabels(400, 19);
        var options = new NbLogisticOptions(Epochs: 3);

        var one = NbLogisticRegression.Fit(rows, labels, 40, options, maxDegreeOfParallelism: 1);
        var five = NbLogisticRegression.Fit(rows, labels, 40, options, maxDegreeOfParallelism: 5);

        five.ShouldEqualBitForBit(one);
    }

    [Fact]
    public void A_stronger_penalty_gives_smaller_weights()
    {
        var (rows, labels) = SgdTestData.Separable(300);

        var loose = NbLogisticRegression.Fit(rows, labels, 20, new NbLogisticOptions(C: 10, Epochs: 5));
        var tight = NbLogisticRegression.Fit(rows, labels, 20, new NbLogisticOptions(C: 0.01, Epochs: 5));

        Math.Abs(tight.Weight(0, 0)).Should().BeLessThan(Math.Abs(loose.Weight(0, 0)));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(4, 0)]
    [InlineData(double.PositiveInfinity, 10)]
    public void Bad_options_are_refused_by_name(double c, int epochs)
    {
        var (rows, labels) = SgdTestData.Separable(20);

        var act = () => NbLogisticRegression.Fit(rows, labels, 20, new NbLogisticOptions(c, epochs));

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*nb_*");
    }
}
