using TagOlym.Core.Data;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Tests.Data;

public sealed class IterativeStratificationTests
{
    private static LabelMatrix Matrix(params int[][] rows)
    {
        var width = rows.SelectMany(r => r).DefaultIfEmpty(-1).Max() + 1;
        var matrix = new LabelMatrix(rows.Length, Math.Max(1, width));
        for (var i = 0; i < rows.Length; i++)
        {
            foreach (var j in rows[i])
            {
                matrix[i, j] = true;
            }
        }

        return matrix;
    }

    private static LabelMatrix RandomMatrix(int rows, int labels, int seed)
    {
        var random = new Random(seed);
        var matrix = new LabelMatrix(rows, labels);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < labels; j++)
            {
                matrix[i, j] = random.NextDouble() < 0.5 / (j + 1);
            }
        }

        return matrix;
    }

    private static int[][] Repeat(int count, params int[] labels) => [.. Enumerable.Repeat(labels, count)];

    [Fact]
    public void Two_labels_on_separate_rows_split_exactly_in_half()
    {
        var labels = Matrix([.. Repeat(10, 0), .. Repeat(10, 1)]);

        var folds = IterativeStratification.AssignFolds(labels, [0.5, 0.5], seed: 1);

        folds.Take(10).Count(f => f == 0).Should().Be(5);
        folds.Skip(10).Count(f => f == 0).Should().Be(5);
    }

    [Fact]
    public void Order_two_spreads_label_pairs_as_well_as_single_labels()
    {
        // 4 rows with A and B, 8 with A only, 8 with B only, 10 with nothing: halves must get 2 / 4 / 4 / 5 of each
        var labels = Matrix([.. Repeat(4, 0, 1), .. Repeat(8, 0), .. Repeat(8, 1), .. Repeat(10)]);

        foreach (var seed in new[] { 1, 2, 3, 42 })
        {
            var folds = IterativeStratification.AssignFolds(labels, [0.5, 0.5], seed);

            folds[..4].Count(f => f == 0).Should().Be(2);
            folds[4..12].Count(f => f == 0).Should().Be(4);
            folds[12..20].Count(f => f == 0).Should().Be(4);
            folds[20..].Count(f => f == 0).Should().Be(5);
        }
    }

    [Fact]
    public void Every_row_lands_in_exactly_one_part_of_the_requested_size()
    {
        var labels = RandomMatrix(2_000, 6, seed: 7);

        var split = IterativeStratification.Split(labels, seed: 3);

        var parts = new[] { SplitPart.Train, SplitPart.Validation, SplitPart.Test }.Select(split.RowsOf).ToArray();
        parts.SelectMany(p => p).Order().Should().Equal(Enumerable.Range(0, 2_000));
        parts.Select(p => p.Length).Should().Equal(1_400, 300, 300);
        split.CountOf(SplitPart.Validation).Should().Be(300);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var labels = RandomMatrix(2_000, 6, seed: 7);

        var first = IterativeStratification.Split(labels, seed: 42);
        var again = IterativeStratification.Split(labels, seed: 42);
        var other = IterativeStratification.Split(labels, seed: 43);

        again.Parts.Should().Equal(first.Parts);
        other.Parts.Zip(first.Parts).Count(p => p.First != p.Second).Should().BeGreaterThan(200);
    }

    [Fact]
    public void Each_label_keeps_its_share_in_each_part()
    {
        var labels = RandomMatrix(5_000, 5, seed: 11);
        var overall = labels.ColumnCounts();

        var split = IterativeStratification.Split(labels, seed: 5);

        foreach (var part in new[] { SplitPart.Train, SplitPart.Validation, SplitPart.Test })
        {
            var rows = split.RowsOf(part);
            var counts = labels.SelectRows(rows).ColumnCounts();
            for (var j = 0; j < overall.Length; j++)
            {
                ((double)counts[j] / rows.Length).Should().BeApproximately((double)overall[j] / labels.Rows, 0.002, $"label {j} in {part}");
            }
        }
    }

    [Fact]
    public void A_part_with_no_share_gets_no_rows()
    {
        var labels = RandomMatrix(500, 4, seed: 2);

        var split = IterativeStratification.Split(labels, seed: 1, new SplitFractions(0.8, 0.2, 0));

        split.CountOf(SplitPart.Test).Should().Be(0);
        split.CountOf(SplitPart.Train).Should().Be(400);
    }

    [Fact]
    public void Order_one_and_any_number_of_folds_work()
    {
        var labels = RandomMatrix(1_000, 4, seed: 9);

        var folds = IterativeStratification.AssignFolds(labels, [0.25, 0.25, 0.25, 0.25], seed: 1, order: 1);

        folds.GroupBy(f => f).Select(g => g.Count()).Should().Equal(250, 250, 250, 250);
    }

    [Fact]
    public void Empty_data_gives_an_empty_split()
    {
        IterativeStratification.Split(new LabelMatrix(0, 3), seed: 1).Count.Should().Be(0);
    }

    [Fact]
    public void Fractions_must_be_shares_that_add_up_to_one()
    {
        var labels = new LabelMatrix(3, 1);

        ((Action)(() => IterativeStratification.AssignFolds(labels, [0.5, 0.6], 1))).Should().Throw<ArgumentException>();
        ((Action)(() => IterativeStratification.AssignFolds(labels, [1.5, -0.5], 1))).Should().Throw<ArgumentException>();
        ((Action)(() => _ = new SplitFractions(0.7, 0.2, 0.2))).Should().Throw<ArgumentException>();
        SplitFractions.FromTrainSize(0.8).Test.Should().BeApproximately(0.1, 1e-12);
        SplitFractions.Default[SplitPart.Validation].Should().Be(0.15);
    }
}
