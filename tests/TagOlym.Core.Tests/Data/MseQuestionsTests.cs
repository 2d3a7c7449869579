using TagOlym.Core.Data;

namespace TagOlym.Core.Tests.Data;

/// <summary>The data side on the real corpus, read once by <see cref="MseFixture"/>.</summary>
[Collection(MseQuestions.Name)]
public sealed class MseQuestionsTests(MseFixture mse)
{
    private static readonly SplitPart[] Parts = [SplitPart.Train, SplitPart.Validation, SplitPart.Test];

    [Fact]
    public void Mse_questions_validates_clean_with_its_known_duplicates()
    {
        var report = mse.Report;

        report.RowsRead.Should().Be(164_070);
        report.CleanRows.Should().Be(164_070);
        report.MalformedRows.Should().Be(0);
        report.DuplicatePostRows.Should().Be(312);
        report.HasErrors.Should().BeFalse();
        report.Findings.Select(f => (f.Code, f.Severity)).Should().Equal(("duplicate_posts", FindingSeverity.Warning));
        report.ShareWithoutLabel.Should().BeApproximately(0.46, 0.005);
        mse.Dataset.Count.Should().Be(164_070);
        mse.Dataset.Ids.Should().OnlyContain(id => id.Kind == PostIdKind.Number);
    }

    [Fact]
    public void Benchmark_split_has_the_row_counts_of_the_data_readme()
    {
        var split = BenchmarkSplit.Split(mse.Dataset.Ids);

        split.CountOf(SplitPart.Train).Should().Be(114_796);
        split.CountOf(SplitPart.Validation).Should().Be(24_685);
        split.CountOf(SplitPart.Test).Should().Be(24_589);
    }

    [Fact]
    public void Stratified_split_puts_every_row_in_one_part_at_70_15_15_with_each_labels_share_kept()
    {
        var labels = mse.Dataset.Labels;
        var split = IterativeStratification.Split(labels, seed: 42);

        var rows = Parts.Select(split.RowsOf).ToArray();
        rows.SelectMany(r => r).Order().Should().Equal(Enumerable.Range(0, labels.Rows), "every row is in exactly one part");
        for (var p = 0; p < Parts.Length; p++)
        {
            ((double)rows[p].Length / labels.Rows).Should().BeApproximately(SplitFractions.Default[Parts[p]], 0.001);
        }

        var overall = labels.ColumnCounts();
        for (var p = 0; p < Parts.Length; p++)
        {
            var counts = labels.SelectRows(rows[p]).ColumnCounts();
            for (var j = 0; j < overall.Length; j++)
            {
                ((double)counts[j] / rows[p].Length).Should().BeApproximately(
                    (double)overall[j] / labels.Rows, 0.01, $"{mse.Dataset.LabelIndex.Names[j]} in {Parts[p]}");
            }
        }
    }

    [Fact]
    public void Stratified_split_is_fixed_by_its_seed()
    {
        var labels = mse.Dataset.Labels;

        var first = IterativeStratification.Split(labels, seed: 42);
        var again = IterativeStratification.Split(labels, seed: 42);
        var other = IterativeStratification.Split(labels, seed: 7);

        again.Parts.Should().Equal(first.Parts);
        other.Parts.Zip(first.Parts).Count(p => p.First != p.Second).Should().BeGreaterThan(10_000);
    }
}
