using TagOlym.Core.Features;
using TagOlym.Core.Learning;

namespace TagOlym.Core.Tests.Learning;

public sealed class LinearModelTests
{
    [Fact]
    public void Margins_are_the_same_whether_every_feature_is_its_own_row_or_rows_are_looked_up()
    {
        // nine labels (a vector of eight and one more), four features; the same weights laid out in two ways
        const int labels = 9;
        var random = new Random(7);
        var weights = Enumerable.Range(0, 4 * labels).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var intercepts = Enumerable.Range(0, labels).Select(l => l * 0.1).ToArray();
        var ownRows = new LinearModel(SgdLoss.Hinge, 4, [0, 1, 2, 3], weights, intercepts);
        int[] order = [2, 0, 3, 1];
        var shuffled = new float[weights.Length];
        for (var f = 0; f < 4; f++)
        {
            weights.AsSpan(f * labels, labels).CopyTo(shuffled.AsSpan(order[f] * labels, labels));
        }

        var lookedUp = new LinearModel(SgdLoss.Hinge, 4, order, shuffled, intercepts);
        var row = new SparseRow([0, 1, 3], [0.25f, 0.5f, 0.75f]);
        var a = new double[labels];
        var b = new double[labels];

        ownRows.Margins(row, a);
        lookedUp.Margins(row, b);

        a.Should().Equal(b);
        a[labels - 1].Should().Be(intercepts[^1] + (weights[labels - 1] * 0.25) + (weights[(2 * labels) - 1] * 0.5) + (weights[(4 * labels) - 1] * 0.75));
    }

    [Fact]
    public void A_feature_without_a_row_adds_nothing()
    {
        var model = new LinearModel(SgdLoss.Hinge, 3, [-1, 0, -1], [2f, -1f], [0.5, 0]);
        var margins = new double[2];

        model.Margins(new SparseRow([0, 1, 2], [1f, 0.5f, 1f]), margins);

        margins.Should().Equal(1.5, -0.5);
    }
}
