using System.Security.Cryptography;
using TagOlym.Core.Data;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Training;

namespace TagOlym.Core.Tests.Models;

/// <summary>An ensemble trained through the real flow on 4,000 real posts: title block, three members, FastTree stage.</summary>
public sealed class EnsembleModelFixture
{
    public EnsembleModelFixture()
    {
        var args = TrainingArgs.Parse("""
            {"stem": true, "title_block_weight": 0.5, "ngram_max": 2, "sublinear_tf": true, "loss": "hinge", "alpha": 2e-5,
             "members": ["sgd", "nb", "subtag"], "subtag_min_posts": 30, "subtag_max_features": 5000,
             "stage": "fasttree", "stage_trees": 30, "stage_leaves": 8, "stage_folds": 3}
            """);
        Result = TrainingFlow.Train(new TrainingRequest(SampleData.Mse, args));
        Directory = SampleData.TemporaryDirectory();
        Path = System.IO.Path.Combine(Directory, "ensemble.tagolym");
        Result.Model.Save(Path);
        Posts = [.. TrainedModelFixture.Posts, .. PostReader.ReadAll(SampleData.Mse).Take(300).Select(r => r.Post ?? "")];
    }

    public TrainingResult Result { get; }

    public string Directory { get; }

    public string Path { get; }

    public IReadOnlyList<string> Posts { get; }
}

public sealed class EnsembleModelTests(EnsembleModelFixture fixture) : IClassFixture<EnsembleModelFixture>
{
    [Fact]
    public void The_trained_pipeline_holds_both_members_a_title_block_and_the_stage_for_some_labels()
    {
        var scorer = fixture.Result.Model.Scorer;

        scorer.Features.HasTitle.Should().BeTrue();
        scorer.Members.Select(m => m.Name).Should().Equal("sgd", "nb", "subtag");
        scorer.Members.OfType<LinearMember>().Should().HaveCount(2).And.OnlyContain(m => m.ScoresMargins, "combined members score margins");
        var subtag = scorer.Members.OfType<SubtagMember>().Single();
        subtag.ClassNames.Should().Contain("other").And.HaveCountGreaterThan(scorer.LabelCount);
        subtag.Classifier.StoredFeatureCount.Should().Be(5000);
        var stacked = scorer.Combiner.Should().BeOfType<StackedCombiner>().Subject;
        stacked.Stage.LabelCount.Should().Be(scorer.LabelCount);
        stacked.UsesStage.Should().Contain(true);
        fixture.Result.Model.Manifest.Members.Should().Equal("sgd", "nb", "subtag");
    }

    [Fact]
    public void A_saved_and_loaded_ensemble_scores_bit_identically_member_by_member_and_in_the_stage()
    {
        var original = fixture.Result.Model;
        var loaded = TagModel.Load(fixture.Path);

        loaded.Thresholds.Should().Equal(original.Thresholds);
        loaded.Scorer.Combiner.Should().BeOfType<StackedCombiner>().Which.UsesStage.Should().Equal(((StackedCombiner)original.Scorer.Combiner).UsesStage);
        var expected = new double[original.Labels.Count];
        var actual = new double[original.Labels.Count];
        foreach (var post in fixture.Posts)
        {
            original.Score(post, expected);
            loaded.Score(post, actual);
            actual.Should().Equal(expected);

            var before = original.Explain(post, top: 3);
            var after = loaded.Explain(post, top: 3);
            for (var l = 0; l < before.Count; l++)
            {
                after[l].Members.Select(m => m.Score).Should().Equal(before[l].Members.Select(m => m.Score));
                after[l].Combination!.StageScore.Should().Be(before[l].Combination!.StageScore);
                after[l].Suggested.Should().Be(before[l].Suggested);
            }
        }
    }

    [Fact]
    public void The_explained_combination_reproduces_the_served_score()
    {
        var model = fixture.Result.Model;
        var stacked = (StackedCombiner)model.Scorer.Combiner;
        var stageUsed = 0;
        foreach (var post in fixture.Posts)
        {
            foreach (var (label, l) in model.Explain(post).Select((e, l) => (e, l)))
            {
                var combination = label.Combination!;
                combination.StandardScores.Should().HaveCount(3);
                var average = combination.StandardScores!.Zip(combination.Weights!, (z, w) => z * w).Sum() / combination.Weights!.Sum();
                combination.MembersScore.Should().BeApproximately(average, 1e-12);
                if (stacked.UsesStage[l])
                {
                    (((combination.MembersStandardScore!.Value + combination.StageStandardScore!.Value) / 2) - label.Score).Should().BeApproximately(0, 1e-12);
                    stageUsed++;
                }
                else
                {
                    combination.StageScore.Should().BeNull();
                    label.Score.Should().Be(combination.MembersScore);
                }
            }
        }

        stageUsed.Should().BeGreaterThan(0);
    }

    [Fact]
    public void A_model_whose_ml_net_section_is_corrupt_is_refused_with_a_clear_error_even_with_a_valid_checksum()
    {
        var bytes = File.ReadAllBytes(fixture.Path);
        var zip = bytes.AsSpan().IndexOf("PK\u0003\u0004"u8);
        zip.Should().BePositive("the stage is stored as ML.NET's own zip bytes");
        for (var i = zip + 10; i < zip + 200; i++)
        {
            bytes[i] ^= 0x5A;
        }

        SHA256.HashData(bytes.AsSpan(0, bytes.Length - SHA256.HashSizeInBytes)).CopyTo(bytes, bytes.Length - SHA256.HashSizeInBytes);
        var path = System.IO.Path.Combine(fixture.Directory, "corrupt-stage.tagolym");
        File.WriteAllBytes(path, bytes);

        var act = () => TagModel.Load(path);

        act.Should().Throw<ModelFormatException>().WithMessage("*second stage's model of label*not a readable ML.NET model*");
    }
}
