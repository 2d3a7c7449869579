using TagOlym.Core.Learning;
using TagOlym.Core.Learning.Search;
using TagOlym.Core.Training;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Training;

public sealed class TrialTrainingTests
{
    private static TrainingArgs Args(string json) => TrainingArgs.Parse(json);

    [Theory]
    [InlineData(SplitMethod.Fixed)]
    [InlineData(SplitMethod.Stratified)]
    public void Reused_work_gives_exactly_the_metrics_of_a_whole_training(SplitMethod split)
    {
        var template = new TrainingRequest(SampleData.Mse, Args("{}")) { Split = split };
        var evaluator = new TrialTraining(template, preprocessed: 1, featurized: 1);
        TrainingArgs[] trials =
        [
            Args("""{"stem": true, "ngram_max": 2, "loss": "log_loss", "alpha": 1e-5, "max_iter": 5, "tol": null}"""),
            Args("""{"stem": true, "ngram_max": 2, "loss": "hinge", "alpha": 1e-4, "l1_ratio": 0.5, "max_iter": 5, "tol": null}"""),
            Args("""{"stem": true, "ngram_max": 3, "loss": "modified_huber", "max_iter": 5, "tol": null}"""),
            Args("""{"nocommand": true, "title_weight": 2, "ngram_max": 2, "learning_rate": "invscaling", "eta0": 0.1, "power_t": 0.3, "max_iter": 5, "tol": null}"""),
            Args("""{"stem": true, "ngram_max": 2, "loss": "log_loss", "alpha": 1e-5, "max_iter": 5, "tol": null, "seed": 7}"""),
        ];

        foreach (var args in trials)
        {
            var reused = evaluator.Evaluate(args, CancellationToken.None);
            var whole = TrainingFlow.Train(template with { Args = args, SplitSeed = args.Sgd.Seed }).Metrics;
            foreach (var part in new[] { "train", "val", "test" })
            {
                reused[part].ToJson().Should().Be(whole[part].ToJson(), $"{part} of {args.ToJson().ToJsonString()}");
            }
        }

        // the second trial only changes the learner, the third only the n-grams; the last changes the seed
        evaluator.PreprocessCounts.Should().Be((3, 2));
        evaluator.FeaturizeCounts.Should().Be((4, 1));
    }
}
