using System.Text.Json.Nodes;
using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;
using TagOlym.Core.Text;

namespace TagOlym.Core.Training;

/// <summary>The model's metrics on each part of the split, and the baselines' on the test part.</summary>
public sealed record Evaluations(IReadOnlyDictionary<string, EvaluationReport> Metrics, IReadOnlyDictionary<string, EvaluationReport> Baselines);

/// <summary>
/// Step 8 of the flow: the decisions of the scores against the thresholds, measured per split (weighted, micro, per
/// label, per slice), next to a random baseline (each label at its training share) and a rule baseline (a label
/// when its name appears in the post) on the test posts.
/// </summary>
public static class EvaluateStage
{
    public static Evaluations Run(Splits<PreparedPosts> posts, Splits<double[][]> scores, LabelThresholds thresholds, LabelIndex labels, TrainingArgs args)
    {
        ArgumentNullException.ThrowIfNull(posts);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(args);
        var metrics = posts.Zip(scores, (part, partScores) => Evaluate(part.Texts, part.Labels, partScores, thresholds, labels))
            .ToDictionary(report => report);
        var test = posts.Test;
        var rules = new RuleBaseline(labels, args.Preprocess.Stem ? PorterStemmer.Stem : null);
        var baselines = new Dictionary<string, EvaluationReport>
        {
            ["random"] = Evaluator.Evaluate(test.Labels, RandomBaseline.Fit(posts.Train.Labels).Predict(test.Count, args.Sgd.Seed), labels),
            ["rules"] = Evaluator.Evaluate(test.Labels, rules.Predict(test.Texts), labels),
        };
        return new Evaluations(metrics, baselines);
    }

    /// <summary>A trained model's metrics on another labeled file (<c>tagolym evaluate</c>).</summary>
    public static (ValidationReport Validation, EvaluationReport Metrics) OnFile(TagModel model, string dataPath, ValidationRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (validation, dataset) = ValidateStage.Run(dataPath, model.Taxonomy, rules);
        var texts = PreprocessStage.Texts(dataset.Posts, model.Scorer.Preprocess);
        var scores = new double[texts.Length][];
        Parallel.For(0, texts.Length, i =>
        {
            scores[i] = new double[model.Labels.Count];
            model.Scorer.ScoreText(texts[i], scores[i]);
        });
        return (validation, Evaluate(texts, dataset.Labels, scores, model.Thresholds, model.Taxonomy.Labels));
    }

    /// <summary><c>{"train": M, "val": M, "test": M}</c>, each M in the anchor's layout plus <c>micro</c>.</summary>
    public static JsonObject ToJson(IReadOnlyDictionary<string, EvaluationReport> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var json = new JsonObject();
        foreach (var (split, report) in metrics)
        {
            json[split] = JsonNode.Parse(report.ToJson(indented: false));
        }

        return json;
    }

    private static EvaluationReport Evaluate(string[] texts, LabelMatrix truth, double[][] scores, LabelThresholds thresholds, LabelIndex labels)
    {
        var predicted = new LabelMatrix(scores.Length, thresholds.Count);
        for (var r = 0; r < scores.Length; r++)
        {
            thresholds.Decide(scores[r], predicted.Row(r));
        }

        return Evaluator.Evaluate(truth, predicted, texts, labels);
    }
}
