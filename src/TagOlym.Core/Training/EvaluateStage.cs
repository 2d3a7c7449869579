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

/// <summary>A model measured on a labeled file: the file's validation, the metrics, and what the HTML report shows.</summary>
public sealed record FileEvaluation(ValidationReport Validation, EvaluationReport Metrics, ReportInput Report);

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

    /// <summary>
    /// A trained model's metrics and report on another labeled file (<c>tagolym evaluate</c>). The file need not carry
    /// every label: one it has no post of has no support. The baselines are measured on the file too; the random one
    /// draws each label at its share in the file, since a model does not keep its training shares.
    /// </summary>
    public static FileEvaluation OnFile(TagModel model, string dataPath, ValidationRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (validation, dataset) = ValidateStage.Run(dataPath, model.Taxonomy, rules ?? ValidationRules.Evaluation);
        var (texts, scores) = Score(model, dataset.Posts);
        var labels = model.Taxonomy.Labels;
        var name = Path.GetFileName(dataPath);
        var metrics = Evaluate(texts, dataset.Labels, scores, model.Thresholds, labels);
        var ruleBaseline = new RuleBaseline(labels, model.Args.Preprocess.Stem ? PorterStemmer.Stem : null);
        var report = Report(model, $"tagolym evaluation on {name}", [new ReportSplit(name, dataset.Labels, scores, metrics)],
        [
            new ReportBaseline("random", name, Evaluator.Evaluate(dataset.Labels, RandomBaseline.Fit(dataset.Labels).Predict(texts.Length, model.Args.Sgd.Seed), labels)),
            new ReportBaseline("rules", name, Evaluator.Evaluate(dataset.Labels, ruleBaseline.Predict(texts), labels)),
        ]) with { Details = [new("data", Path.GetFullPath(dataPath)), .. Details(model)] };
        return new FileEvaluation(validation, metrics, report);
    }

    /// <summary>A trained model's metrics on raw posts and their true labels (in the model's label order).</summary>
    public static EvaluationReport OnPosts(TagModel model, IReadOnlyList<string> posts, LabelMatrix truth)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (texts, scores) = Score(model, posts);
        return Evaluate(texts, truth, scores, model.Thresholds, model.Taxonomy.Labels);
    }

    /// <summary>Raw posts through the model's one scoring path: their preprocessed texts and their scores.</summary>
    private static (string[] Texts, double[][] Scores) Score(TagModel model, IReadOnlyList<string> posts)
    {
        var texts = PreprocessStage.Texts(posts, model.Scorer.Preprocess);
        var titles = model.Scorer.Features.HasTitle ? PreprocessStage.Titles(posts, model.Scorer.Preprocess) : null;
        return (texts, model.Scorer.ScoreTexts(texts, titles));
    }

    /// <summary>The report of a training: every split's truth and scores, its metrics, and the baselines on the test posts.</summary>
    public static ReportInput Report(TagModel model, Splits<PreparedPosts> posts, Splits<double[][]> scores, Evaluations evaluations)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(posts);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(evaluations);
        var splits = posts.Zip(scores, (part, partScores) => (part, partScores)).Named()
            .Select(p => new ReportSplit(p.Name, p.Part.part.Labels, p.Part.partScores, evaluations.Metrics[p.Name]))
            .ToArray();
        var test = Splits<PreparedPosts>.Names[2];
        return Report(model, "tagolym training report", splits, [.. evaluations.Baselines.Select(b => new ReportBaseline(b.Key, test, b.Value))])
            with { Details = Details(model) };
    }

    private static ReportInput Report(TagModel model, string title, IReadOnlyList<ReportSplit> splits, IReadOnlyList<ReportBaseline> baselines) => new()
    {
        Title = title,
        Labels = model.Labels,
        Thresholds = model.Thresholds,
        Splits = splits,
        Baselines = baselines,
        ArgumentsJson = model.Args.ToJson().ToJsonString(),
        DataFingerprint = model.Manifest.DataFingerprint,
    };

    private static KeyValuePair<string, string>[] Details(TagModel model) =>
    [
        new("model trained", model.Manifest.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)),
        new("training rows", model.Manifest.TrainingRows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)),
        new("members", string.Join(", ", model.Scorer.Members.Select(m => m.Kind)) + $"; combiner {model.Scorer.Combiner.Kind}"),
    ];

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

    private static EvaluationReport Evaluate(IReadOnlyList<string> texts, LabelMatrix truth, double[][] scores, LabelThresholds thresholds, LabelIndex labels)
    {
        var predicted = new LabelMatrix(scores.Length, thresholds.Count);
        for (var r = 0; r < scores.Length; r++)
        {
            thresholds.Decide(scores[r], predicted.Row(r));
        }

        return Evaluator.Evaluate(truth, predicted, texts, labels);
    }
}
