using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Models;
using TagOlym.Core.Text;

namespace TagOlym.Core.Learning;

/// <summary>How the labeled posts are split into train, validation and test.</summary>
public enum SplitMethod
{
    /// <summary>Iterative stratification of order 2, 70/15/15, seeded (the pipeline's own split).</summary>
    Stratified,

    /// <summary>The fixed benchmark split by id of <c>data/README.md</c>, for figures comparable across systems.</summary>
    Fixed,
}

/// <summary>What to train on and how.</summary>
public sealed record TrainingRequest(string DataPath, TrainingArgs Args)
{
    public Taxonomy Taxonomy { get; init; } = Taxonomy.Default;

    public SplitMethod Split { get; init; } = SplitMethod.Stratified;

    /// <summary>Seeds the stratified split (the learner's seed is in <see cref="TrainingArgs"/>).</summary>
    public int SplitSeed { get; init; } = 42;

    public ValidationRules? Rules { get; init; }
}

/// <summary>A step of the pipeline reporting how far it is (0..1); <paramref name="Detail"/> says what it is doing.</summary>
public readonly record struct TrainingProgress(string Stage, double Fraction, string? Detail = null);

/// <summary>How long one stage took, and the process's peak working set when it ended (how memory grows).</summary>
public sealed record StageTiming(string Stage, TimeSpan Elapsed, long PeakWorkingSetBytes);

/// <summary>The trained model and everything learned on the way.</summary>
/// <param name="Baselines">The random and rule baselines' metrics on the test split, to read the model's against.</param>
public sealed record TrainingResult(
    TagModel Model,
    ValidationReport Validation,
    IReadOnlyDictionary<string, EvaluationReport> Metrics,
    IReadOnlyDictionary<string, EvaluationReport> Baselines,
    IReadOnlyList<StageTiming> Timings,
    int EmptyPostsDropped,
    IReadOnlyDictionary<string, int> SplitSizes)
{
    /// <summary><c>{"train": M, "val": M, "test": M}</c>, each M in the anchor's layout plus <c>micro</c>.</summary>
    public JsonObject MetricsJson() => MetricsToJson(Metrics);

    internal static JsonObject MetricsToJson(IReadOnlyDictionary<string, EvaluationReport> metrics)
    {
        var json = new JsonObject();
        foreach (var (split, report) in metrics)
        {
            json[split] = JsonNode.Parse(report.ToJson(indented: false));
        }

        return json;
    }
}

/// <summary>
/// The whole training flow of DESIGN.md: validate, preprocess, split, featurize (TF-IDF fitted on the training
/// split only), learn one SGD classifier per label, tune the thresholds on validation, evaluate every split, and
/// package one <see cref="TagModel"/>. Nothing is written to disk here: the caller saves what it wants.
/// </summary>
public static class TrainingPipeline
{
    public static TrainingResult Train(TrainingRequest request, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var timings = new List<StageTiming>();
        var clock = Stopwatch.StartNew();
        void Done(string stage)
        {
            using var process = Process.GetCurrentProcess();
            timings.Add(new StageTiming(stage, clock.Elapsed, process.PeakWorkingSet64));
            progress?.Report(new TrainingProgress(stage, 1));
            clock.Restart();
        }

        var args = request.Args;
        progress?.Report(new TrainingProgress("validate", 0));
        var (validation, dataset) = DataValidator.LoadDataset(request.DataPath, request.Taxonomy, request.Rules);
        Done("validate");

        // keep what training needs (ids, labels, preprocessed text) and let the raw posts go
        var texts = Preprocess(dataset!, args.Preprocess, progress, cancellationToken);
        var kept = Enumerable.Range(0, texts.Length).Where(i => texts[i].Length > 0).ToArray();
        var emptyPosts = texts.Length - kept.Length;
        var taxonomy = dataset!.Taxonomy;
        var ids = kept.Select(i => dataset.Ids[i]).ToArray();
        var labelMatrix = dataset.Labels.SelectRows(kept);
        texts = [.. kept.Select(i => texts[i])];
        dataset = null;
        Done("preprocess");

        var split = request.Split == SplitMethod.Fixed
            ? BenchmarkSplit.Split(ids)
            : IterativeStratification.Split(labelMatrix, request.SplitSeed);
        var parts = new Dictionary<string, int[]>
        {
            ["train"] = split.RowsOf(SplitPart.Train),
            ["val"] = split.RowsOf(SplitPart.Validation),
            ["test"] = split.RowsOf(SplitPart.Test),
        };
        if (parts.Values.Any(rows => rows.Length == 0))
        {
            throw new DataValidationException($"the split left a part empty ({string.Join(", ", parts.Select(p => $"{p.Key} {p.Value.Length}"))}): more data is needed");
        }

        Done("split");

        progress?.Report(new TrainingProgress("featurize", 0));
        var trainTexts = parts["train"].Select(i => texts[i]).ToArray();
        var (vectorizer, trainRows) = TfidfVectorizer.FitTransform(trainTexts, args.Tfidf);

        // while the learner runs, memory is what limits the vocabulary: the n-gram lookup (rebuilt for scoring
        // validation and test afterwards), the free, fragmented heap that fitting left behind, and half of the
        // texts (kept as ASCII bytes, not UTF-16, until evaluation) go first
        vectorizer.DropLookup();
        var packedTexts = texts.Select(Encoding.ASCII.GetBytes).ToArray();
        texts = [];
        trainTexts = [];
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Done("featurize");

        var labels = taxonomy.Labels;
        var truthOf = parts.ToDictionary(p => p.Key, p => labelMatrix.SelectRows(p.Value));
        var sgdProgress = progress is null ? null : new LabelProgress(progress, labels);
        var classifier = OneVsRestSgd.Fit(trainRows, truthOf["train"], vectorizer.FeatureCount, args.Sgd, sgdProgress, cancellationToken: cancellationToken);
        Done("learn");

        var scoresOf = new Dictionary<string, double[][]> { ["train"] = Scores(classifier, trainRows) };

        // the learner's state and the training rows are garbage now: return them before the lookup is rebuilt
        trainRows = null;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        texts = [.. packedTexts.Select(Encoding.ASCII.GetString)];
        packedTexts = [];
        foreach (var part in new[] { "val", "test" })
        {
            scoresOf[part] = Scores(classifier, vectorizer, parts[part].Select(i => texts[i]).ToArray());
        }

        Done("score");

        var thresholds = Calibrate(scoresOf["val"], truthOf["val"], args);
        Done("calibrate");

        var metrics = new Dictionary<string, EvaluationReport>();
        foreach (var part in new[] { "train", "val", "test" })
        {
            var predicted = Decide(scoresOf[part], thresholds);
            metrics[part] = Evaluator.Evaluate(truthOf[part], predicted, parts[part].Select(i => texts[i]).ToArray(), labels);
        }

        var testTexts = parts["test"].Select(i => texts[i]).ToArray();
        var rules = new RuleBaseline(labels, args.Stem ? PorterStemmer.Stem : null);
        var baselines = new Dictionary<string, EvaluationReport>
        {
            ["random"] = Evaluator.Evaluate(truthOf["test"], RandomBaseline.Fit(truthOf["train"]).Predict(testTexts.Length, args.Sgd.Seed), labels),
            ["rules"] = Evaluator.Evaluate(truthOf["test"], rules.Predict(testTexts), labels),
        };

        Done("evaluate");

        var model = TagModel.Create(
            taxonomy,
            args.Preprocess,
            vectorizer,
            classifier,
            thresholds,
            args.ToJson(),
            TrainingResult.MetricsToJson(metrics),
            Fingerprint(ids, labelMatrix, parts["train"]),
            parts["train"].Length);
        Done("package");

        return new TrainingResult(model, validation, metrics, baselines, timings, emptyPosts, parts.ToDictionary(p => p.Key, p => p.Value.Length));
    }

    /// <summary>Scores and metrics of a trained model on another labeled file (<c>tagolym evaluate</c>); labels the file lacks have no support.</summary>
    public static (ValidationReport Validation, EvaluationReport Metrics) Evaluate(TagModel model, string dataPath, ValidationRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (validation, dataset) = DataValidator.LoadDataset(dataPath, model.Taxonomy, rules ?? ValidationRules.Evaluation);
        var texts = Preprocess(dataset!, model.Preprocess, progress: null, CancellationToken.None);
        var predicted = Decide(Scores(model.Classifier, model.Vectorizer, texts), model.Thresholds);
        return (validation, Evaluator.Evaluate(dataset!.Labels, predicted, texts, model.Taxonomy.Labels));
    }

    private static string[] Preprocess(LabeledDataset data, PreprocessOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var texts = new string[data.Count];
        var done = 0;
        Parallel.For(0, data.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            texts[i] = PostPreprocessor.Preprocess(data.Posts[i], options);
            if (Interlocked.Increment(ref done) % 4096 == 0)
            {
                progress?.Report(new TrainingProgress("preprocess", (double)done / data.Count));
            }
        });
        return texts;
    }

    private static double[][] Scores(LinearModel classifier, SparseRow[] rows)
    {
        var scores = new double[rows.Length][];
        Parallel.For(0, rows.Length, i =>
        {
            scores[i] = new double[classifier.LabelCount];
            classifier.Scores(rows[i], scores[i]);
        });
        return scores;
    }

    /// <summary>Scores of texts not seen in fitting, featurized one at a time (their rows are not kept).</summary>
    private static double[][] Scores(LinearModel classifier, TfidfVectorizer vectorizer, string[] texts)
    {
        var scores = new double[texts.Length][];
        Parallel.For(0, texts.Length, i =>
        {
            scores[i] = new double[classifier.LabelCount];
            classifier.Scores(vectorizer.Transform(texts[i]), scores[i]);
        });
        return scores;
    }

    private static double[] Calibrate(double[][] scores, LabelMatrix truth, TrainingArgs args)
    {
        var thresholds = new double[truth.Labels];
        for (var l = 0; l < thresholds.Length; l++)
        {
            var labelScores = scores.Select(s => s[l]).ToArray();
            var labelTruth = Enumerable.Range(0, truth.Rows).Select(r => truth[r, l]).ToArray();
            thresholds[l] = ThresholdTuner.Tune(labelScores, labelTruth, args.Sgd.Loss, args.Thresholds);
        }

        return thresholds;
    }

    private static LabelMatrix Decide(double[][] scores, IReadOnlyList<double> thresholds)
    {
        var predicted = new LabelMatrix(scores.Length, thresholds.Count);
        for (var r = 0; r < scores.Length; r++)
        {
            TagSuggester.Decide(scores[r], thresholds, predicted.Row(r));
        }

        return predicted;
    }

    /// <summary>SHA-256 over the training rows' ids and label sets, in order.</summary>
    private static string Fingerprint(PostId[] ids, LabelMatrix labels, int[] trainRows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        foreach (var r in trainRows)
        {
            line.Clear().Append(ids[r].Text).Append('\t');
            foreach (var set in labels.Row(r))
            {
                line.Append(set ? '1' : '0');
            }

            hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Turns the learner's per-label epochs into pipeline progress.</summary>
    private sealed class LabelProgress(IProgress<TrainingProgress> inner, LabelIndex labels) : IProgress<SgdProgress>
    {
        public void Report(SgdProgress value) => inner.Report(new TrainingProgress(
            $"learn:{labels.Names[value.Label]}",
            value.Finished ? 1 : 0,
            value.Finished ? $"stopped after {value.Epoch} epochs" : $"epoch {value.Epoch}"));
    }
}
