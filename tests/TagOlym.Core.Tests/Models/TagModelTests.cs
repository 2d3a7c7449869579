using TagOlym.Core.Learning;
using TagOlym.Core.Models;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Training;

namespace TagOlym.Core.Tests.Models;

/// <summary>One model trained on real posts, shared by the tests that only read it.</summary>
public sealed class TrainedModelFixture
{
    public TrainedModelFixture()
    {
        var args = TrainingArgs.Parse("""{"ngram_max": 2, "stem": true, "loss": "log_loss", "alpha": 1e-5, "l1_ratio": 0.05, "learning_rate": "optimal"}""");
        Result = TrainingFlow.Train(new TrainingRequest(SampleData.Mse, args));
        Directory = SampleData.TemporaryDirectory();
        Path = System.IO.Path.Combine(Directory, "model.tagolym");
        Result.Model.Save(Path);
    }

    public TrainingResult Result { get; }

    public string Directory { get; }

    public string Path { get; }

    public static readonly string[] Posts =
    [
        "Prove that for all positive reals $a,b,c$ we have $\\frac{a}{b}+\\frac{b}{c}+\\frac{c}{a}\\ge 3$.",
        "How many ways are there to choose 3 balls from 10 if order does not matter?",
        "Find all primes $p$ such that $p^2+2$ is prime. I tried working modulo 3.",
        "In triangle $ABC$ the incircle touches $BC$ at $D$. Show that $AD$ bisects the angle.",
        "",
        "$$\\int_0^1 x^2\\,dx$$",
    ];
}

public sealed class TagModelTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void A_loaded_model_predicts_exactly_as_the_trained_one()
    {
        var loaded = TagModel.Load(fixture.Path);
        var original = new TagSuggester(fixture.Result.Model);
        var reloaded = new TagSuggester(loaded);

        foreach (var post in TrainedModelFixture.Posts)
        {
            reloaded.Suggest(post).Scores.Should().Equal(original.Suggest(post).Scores);
            reloaded.Suggest(post).Tags.Should().Equal(original.Suggest(post).Tags);
        }

        loaded.Thresholds.Should().Equal(fixture.Result.Model.Thresholds);
        loaded.Labels.Should().Equal(fixture.Result.Model.Labels);
        loaded.Manifest.DataFingerprint.Should().Be(fixture.Result.Model.Manifest.DataFingerprint).And.HaveLength(64);
        loaded.Manifest.Metrics!["test"]!["overall"]!["f1"]!.GetValue<double>()
            .Should().Be(fixture.Result.Metrics["test"].Overall.F1);
    }

    [Fact]
    public void The_model_learns_something_real_from_4000_posts()
    {
        // far above the all-negative baseline (F1 0) on posts it never saw
        fixture.Result.Metrics["test"].Overall.F1.Should().BeGreaterThan(0.4);
        fixture.Result.Metrics["test"].Overall.F1.Should().BeGreaterThan(fixture.Result.Baselines["random"].Overall.F1 + 0.2);
        fixture.Result.Metrics["test"].Overall.F1.Should().BeGreaterThan(fixture.Result.Baselines["rules"].Overall.F1);
        var suggestion = new TagSuggester(fixture.Result.Model).Suggest(TrainedModelFixture.Posts[1]);
        suggestion.Tags.Select(t => t.Tag).Should().Contain("combinatorics");
        suggestion.Tags.Should().BeInDescendingOrder(t => t.Score);
        suggestion.Tags.Should().OnlyContain(t => t.Score > t.Threshold);
    }

    [Fact]
    public void A_flipped_byte_is_reported_as_corruption()
    {
        var copy = Copy("corrupt.tagolym");
        var bytes = File.ReadAllBytes(copy);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(copy, bytes);

        var load = () => TagModel.Load(copy);
        load.Should().Throw<ModelFormatException>().WithMessage("*corrupted*");
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        var copy = Copy("truncated.tagolym");
        var bytes = File.ReadAllBytes(copy);
        File.WriteAllBytes(copy, bytes[..(bytes.Length - 1000)]);

        var load = () => TagModel.Load(copy);
        load.Should().Throw<ModelFormatException>().WithMessage("*truncated*");
    }

    [Fact]
    public void A_newer_format_is_refused_with_a_hint_to_upgrade()
    {
        var copy = Copy("newer.tagolym");
        var bytes = File.ReadAllBytes(copy);
        BitConverter.GetBytes(99).CopyTo(bytes, 8);
        File.WriteAllBytes(copy, bytes);

        var load = () => TagModel.Load(copy);
        load.Should().Throw<ModelFormatException>().WithMessage("*format 99*upgrade*");
    }

    [Fact]
    public void A_model_of_the_previous_format_is_refused_with_a_hint_to_retrain()
    {
        var copy = Copy("older.tagolym");
        var bytes = File.ReadAllBytes(copy);
        BitConverter.GetBytes(1).CopyTo(bytes, 8);
        File.WriteAllBytes(copy, bytes);

        var load = () => TagModel.Load(copy);
        load.Should().Throw<ModelFormatException>().WithMessage("*format 1*older TagOlym*train the model again*");
    }

    [Fact]
    public void A_model_of_format_2_still_loads_and_scores_as_the_TagOlym_that_wrote_it()
    {
        var model = TagModel.Load(TestData.Path("format2-hinge.model"));

        model.Manifest.FormatVersion.Should().Be(2);
        model.Scorer.Features.HasTitle.Should().BeFalse();
        model.Scorer.Members.Should().ContainSingle().Which.Should().BeOfType<LinearMember>().Which.ScoresMargins.Should().BeFalse();
        model.Scorer.Combiner.Should().BeSameAs(SingleMemberCombiner.Instance);
        var scores = new double[model.Labels.Count];

        // what `tagolym predict` of commit fcac007 printed (6 decimals) for these posts
        model.Score("Prove that for all positive reals $a,b,c$ we have $\\frac{a}{b}+\\frac{b}{c}+\\frac{c}{a}\\ge 3$.", scores);
        scores.Should().Equal([-0.530435, -13.159485, -2.1199, -2.237974, -2.037093, 5.133259, -7.659698, -1.148978, -7.234439, -3.060304], (a, b) => Math.Abs(a - b) < 5e-7);
        model.Score("Find all primes $p$ such that $p^2+2$ is prime.", scores);
        scores.Should().Equal([-1.967975, -4.57296, -2.405651, -4.124674, -0.761335, -9.846768, -11.224471, 5.430211, -6.96077, -2.682004], (a, b) => Math.Abs(a - b) < 5e-7);
    }

    [Fact]
    public void The_saved_model_reproduces_the_training_metrics_through_its_one_scoring_path()
    {
        // the same stages, the same seed: the same test posts, scored now by the loaded model from raw text
        var loaded = TagModel.Load(fixture.Path);
        var validated = ValidateStage.Run(SampleData.Mse, loaded.Taxonomy);
        var (prepared, _) = PreprocessStage.Run(validated.Dataset, loaded.Args.Preprocess);
        var test = SplitStage.Run(prepared, SplitMethod.Stratified, 42).Test;
        var posts = test.Ids.Select(id => validated.Dataset.Posts[Array.IndexOf(prepared.Ids, id)]).ToArray();
        var predicted = new Core.Labels.LabelMatrix(posts.Length, loaded.Labels.Count);
        var scores = new double[loaded.Labels.Count];
        for (var i = 0; i < posts.Length; i++)
        {
            loaded.Score(posts[i], scores);
            loaded.Decide(scores, predicted.Row(i));
        }

        var metrics = Core.Evaluation.Evaluator.Evaluate(test.Labels, predicted, test.Texts, loaded.Taxonomy.Labels);
        metrics.Overall.Should().Be(fixture.Result.Metrics["test"].Overall);
        metrics.Micro.Should().Be(fixture.Result.Metrics["test"].Micro);
    }

    [Fact]
    public void Something_else_is_not_taken_for_a_model()
    {
        var path = System.IO.Path.Combine(fixture.Directory, "notes.txt");
        File.WriteAllText(path, "these are not the weights you are looking for");

        var load = () => TagModel.Load(path);
        load.Should().Throw<ModelFormatException>().WithMessage("*not a TagOlym model*");
        var missing = () => TagModel.Load(System.IO.Path.Combine(fixture.Directory, "absent.tagolym"));
        missing.Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void Saving_leaves_no_temporary_file_behind()
    {
        System.IO.Directory.GetFiles(fixture.Directory, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void Batch_suggestions_equal_one_by_one_suggestions_in_input_order()
    {
        var suggester = new TagSuggester(fixture.Result.Model);
        var batch = suggester.Suggest(TrainedModelFixture.Posts);

        batch.Select(s => s.Scores).Should().Equal(TrainedModelFixture.Posts.Select(p => suggester.Suggest(p).Scores),
            (a, b) => a.SequenceEqual(b));
    }

    private string Copy(string name)
    {
        var copy = System.IO.Path.Combine(fixture.Directory, name);
        File.Copy(fixture.Path, copy, overwrite: true);
        return copy;
    }
}
