using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;
using TagOlym.Core.Tests.Learning;
using TagOlym.Core.Training;

namespace TagOlym.Core.Tests.Training;

public sealed class LearnStageTests
{
    private static readonly TrainingArgs Args = TrainingArgs.Parse("""
        {"members": ["sgd", "nb"], "stage": "fasttree", "stage_folds": 4, "stage_scored_folds": 2, "max_iter": 5, "nb_epochs": 2}
        """);

    [Fact]
    public void Out_of_fold_scores_cover_the_scored_folds_each_row_scored_by_members_fitted_without_its_fold()
    {
        var (rows, truth) = SgdTestData.ManyLabels(300, Taxonomy.Default.Labels.Count);

        var outOfFold = LearnStage.OutOfFold(rows, truth, null, 40, Args, Taxonomy.Default);

        var folds = KFold.Assign(rows.Length, 4, Args.Sgd.Seed);
        outOfFold.Rows.Should().Equal(Enumerable.Range(0, rows.Length).Where(r => folds[r] < 2));
        outOfFold.Rows.Length.Should().BeInRange(140, 160, "two folds of four");
        for (var k = 0; k < 2; k++)
        {
            var without = Enumerable.Range(0, rows.Length).Where(r => folds[r] != k).ToArray();
            var members = LearnStage.Run([.. without.Select(r => rows[r])], truth.SelectRows(without), null, 40, Args, Taxonomy.Default);
            for (var i = 0; i < outOfFold.Rows.Length; i++)
            {
                if (folds[outOfFold.Rows[i]] == k)
                {
                    var expected = new double[members.Count * truth.Labels];
                    PostScorer.ScoreMembers(members, rows[outOfFold.Rows[i]], expected);
                    outOfFold.Scores[i].Should().Equal(expected);
                }
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Scoring_more_folds_than_there_are_or_none_is_refused_by_name(int scored)
    {
        var act = () => TrainingArgs.Parse($$"""{"stage": "fasttree", "stage_folds": 4, "stage_scored_folds": {{scored}}}""");

        act.Should().Throw<TrainingArgsException>().WithMessage("*stage_scored_folds*");
    }
}
