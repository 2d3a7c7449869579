using TagOlym.Core.Learning;
using TagOlym.Core.Models;

namespace TagOlym.Core.Tests.Models;

public sealed class ZScoreCombinerTests
{
    // two members, two labels, three validation rows each
    private static readonly double[][] MemberA = [[1, 10], [2, 10], [3, 10]];
    private static readonly double[][] MemberB = [[-4, 0], [0, 1], [4, 2]];

    [Fact]
    public void Means_and_deviations_are_the_members_validation_statistics()
    {
        var combiner = ZScoreCombiner.Fit([MemberA, MemberB]);

        combiner.Means.Should().Equal(2, 10, 0, 1);
        combiner.Deviations[0].Should().BeApproximately(Math.Sqrt(2.0 / 3), 1e-12);
        combiner.Deviations[1].Should().Be(1, "a constant score gets deviation 1, not a division by zero");
        combiner.Deviations[2].Should().BeApproximately(Math.Sqrt(32.0 / 3), 1e-12);
    }

    [Fact]
    public void The_combined_score_is_the_weighted_mean_of_z_scores()
    {
        var combiner = ZScoreCombiner.Fit([MemberA, MemberB], weights: [1, 1, 3, 1]);
        var combined = new double[2];

        combiner.Combine([3, 10, 4, 2], 2, combined);

        var zA = 1 / Math.Sqrt(2.0 / 3);
        var zB = 4 / Math.Sqrt(32.0 / 3);
        combined[0].Should().BeApproximately(((1 * zA) + (3 * zB)) / 4, 1e-12);
        combined[1].Should().BeApproximately((0 + (1 / Math.Sqrt(2.0 / 3))) / 2, 1e-12);
    }

    [Fact]
    public void A_member_weighted_zero_for_a_label_does_not_move_it()
    {
        var combiner = ZScoreCombiner.Fit([MemberA, MemberB], weights: [1, 1, 0, 1]);
        var low = new double[2];
        var high = new double[2];

        combiner.Combine([2, 10, -1000, 1], 2, low);
        combiner.Combine([2, 10, 1000, 1], 2, high);

        high[0].Should().Be(low[0]);
    }

    [Fact]
    public void A_label_that_no_member_is_weighted_for_is_refused()
    {
        var act = () => ZScoreCombiner.Fit([MemberA, MemberB], weights: [0, 1, 0, 1]);

        act.Should().Throw<ArgumentException>().WithMessage("*label 0*");
    }

    [Fact]
    public void KFold_puts_every_row_in_one_fold_of_nearly_equal_size()
    {
        var folds = KFold.Assign(103, 5, seed: 42);

        folds.Should().HaveCount(103).And.OnlyContain(f => f >= 0 && f < 5);
        var sizes = folds.GroupBy(f => f).Select(g => g.Count()).ToArray();
        sizes.Should().HaveCount(5);
        (sizes.Max() - sizes.Min()).Should().BeLessThanOrEqualTo(1);
        KFold.Assign(103, 5, seed: 42).Should().Equal(folds);
    }
}

public sealed class ScoreCombinerSectionTests
{
    [Fact]
    public void A_written_and_read_combiner_combines_bit_identically()
    {
        var combiner = ZScoreCombiner.Fit([[[0.1, 3], [0.7, -2], [0.3, 1]], [[5, 5], [6, 1], [9, 0]]], [1, 0.5, 2, 1]);
        using var stream = new MemoryStream();
        combiner.Write(new BinaryWriter(stream));
        stream.Position = 0;

        var read = ZScoreCombiner.Read(new BinaryReader(stream));

        var expected = new double[2];
        var actual = new double[2];
        combiner.Combine([0.42, -1.5, 7.25, 3], 2, expected);
        read.Combine([0.42, -1.5, 7.25, 3], 2, actual);
        actual.Should().Equal(expected);
        read.Weights.Should().Equal(combiner.Weights);
    }

    [Fact]
    public void A_combiner_section_with_a_zero_deviation_is_refused()
    {
        using var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        writer.Write7BitEncodedInt(1);
        writer.Write7BitEncodedInt(1);
        writer.Write(0.0);
        writer.Write(0.0);
        writer.Write(1.0);
        stream.Position = 0;

        var act = () => ZScoreCombiner.Read(new BinaryReader(stream));

        act.Should().Throw<InvalidDataException>().WithMessage("*combiner is unusable*");
    }
}
