using TagOlym.Core.Data;
using TagOlym.Core.Labels;
using TagOlym.Core.Tests.Data;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Training;

namespace TagOlym.Core.Tests.Labels;

[Collection(MseQuestions.Name)]
public sealed class TaxonomyOnCorporaTests(MseFixture mse)
{
    [Fact]
    public void Default_taxonomy_gives_the_posts_per_label_of_the_data_readme_on_mse_questions()
    {
        var counts = mse.Dataset.Labels.ColumnCounts();
        var perLabel = mse.Dataset.LabelIndex.Names.Zip(counts).ToDictionary(p => p.First, p => p.Second);

        perLabel.Should().Equal(new Dictionary<string, int>
        {
            ["algebra"] = 36_226,
            ["geometry"] = 22_655,
            ["function"] = 20_502,
            ["combinatorics"] = 9_174,
            ["number theory"] = 9_049,
            ["trigonometry"] = 7_257,
            ["inequality"] = 3_205,
            ["polynomial"] = 2_860,
            ["modular arithmetic"] = 1_374,
            ["circle"] = 722,
        });
    }

    [Fact]
    public void Forty_six_percent_of_mse_posts_have_no_label_and_fourteen_percent_several()
    {
        var labels = mse.Dataset.Labels;
        var none = 0;
        var several = 0;
        for (var i = 0; i < labels.Rows; i++)
        {
            var count = 0;
            foreach (var cell in labels.Row(i))
            {
                count += cell ? 1 : 0;
            }

            none += count == 0 ? 1 : 0;
            several += count > 1 ? 1 : 0;
        }

        ((double)none / labels.Rows).Should().BeApproximately(0.46, 0.005);
        ((double)several / labels.Rows).Should().BeApproximately(0.14, 0.005);
    }

    [Fact]
    public void The_math_taxonomy_gives_every_math_problem_exactly_one_label()
    {
        var math = Taxonomy.Load(TestFiles.Repo("config", "labels-math.json"));

        var result = ValidateStage.Run(SharedData.Path("data", "math-competition.jsonl.gz"), math);

        result.Report.RowsRead.Should().Be(7_500);
        result.Report.CleanRows.Should().Be(7_500);
        result.Report.RawTags!.UnmappedDistinctTags.Should().Be(0);
        var labels = result.Dataset.Labels;
        for (var i = 0; i < labels.Rows; i++)
        {
            labels.Row(i).ToArray().Count(c => c).Should().Be(1, $"row {i} has one subject");
        }

        labels.ColumnCounts().Should().OnlyContain(c => c > 0);
        result.Dataset.Ids[0].Kind.Should().Be(PostIdKind.Text);
    }
}
