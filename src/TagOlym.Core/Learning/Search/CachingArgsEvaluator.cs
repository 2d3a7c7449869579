using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Models;
using TagOlym.Core.Text;

namespace TagOlym.Core.Learning.Search;

/// <summary>
/// Trains as <see cref="TrainingPipeline"/> does (the same steps, seeds and order, so the same metrics) but reuses
/// work between trials: the posts are read and validated once; the preprocessed texts and the split depend only on
/// the preprocessing options (<c>nocommand</c>, <c>stem</c>, the title weight) and the seed, and the fitted TF-IDF
/// with every split's rows only on those and the TF-IDF options (<c>ngram_max</c>, ...). Each of the two caches
/// keeps its most recently used entries, at most <paramref name="preprocessed"/> and <paramref name="featurized"/>
/// (plus those the running trials hold), so memory stays bounded; two trials asking for the same entry at once
/// share one computation. A trial that only changes the learner does no preprocessing or featurizing.
/// </summary>
public sealed class CachingArgsEvaluator(TrainingRequest template, int preprocessed = 2, int featurized = 2) : IArgsEvaluator
{
    private static readonly string[] Splits = ["train", "val", "test"];
    private readonly Lazy<LabeledDataset> _dataset = new(() => DataValidator.LoadDataset(template.DataPath, template.Taxonomy, template.Rules).Dataset!);
    private readonly RecentCache<(PreprocessOptions, int), Prepared> _prepared = new(preprocessed);
    private readonly RecentCache<(PreprocessOptions, int, TfidfOptions), Featurized> _featurized = new(featurized);

    /// <summary>How often an entry was computed, and how often reused (for the progress display and the tests).</summary>
    public (int Computed, int Reused) PreprocessCounts => _prepared.Counts;

    public (int Computed, int Reused) FeaturizeCounts => _featurized.Counts;

    public IReadOnlyDictionary<string, EvaluationReport> Evaluate(TrainingArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var seed = args.Sgd.Seed;
        var prepared = _prepared.Get((args.Preprocess, seed), () => Prepare(args.Preprocess, seed, cancellationToken));
        var features = _featurized.Get((args.Preprocess, seed, args.Tfidf), () => Featurize(prepared, args.Tfidf));

        var classifier = OneVsRestSgd.Fit(features.Rows["train"], prepared.Truth["train"], features.Vectorizer.FeatureCount, args.Sgd, cancellationToken: cancellationToken);
        var scores = Splits.ToDictionary(s => s, s => Scores(classifier, features.Rows[s]));
        var thresholds = Calibrate(scores["val"], prepared.Truth["val"], args);
        var labels = prepared.Labels;
        return Splits.ToDictionary(
            s => s,
            s => Evaluator.Evaluate(prepared.Truth[s], Decide(scores[s], thresholds), prepared.Texts[s], labels));
    }

    private Prepared Prepare(PreprocessOptions options, int seed, CancellationToken cancellationToken)
    {
        var dataset = _dataset.Value;
        var texts = new string[dataset.Count];
        Parallel.For(0, dataset.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => texts[i] = PostPreprocessor.Preprocess(dataset.Posts[i], options));

        // posts that preprocess to nothing are dropped before the split, as in training
        var kept = Enumerable.Range(0, texts.Length).Where(i => texts[i].Length > 0).ToArray();
        var ids = kept.Select(i => dataset.Ids[i]).ToArray();
        var labelMatrix = dataset.Labels.SelectRows(kept);
        var split = template.Split == SplitMethod.Fixed ? BenchmarkSplit.Split(ids) : IterativeStratification.Split(labelMatrix, seed);
        var rows = new Dictionary<string, int[]>
        {
            ["train"] = split.RowsOf(SplitPart.Train),
            ["val"] = split.RowsOf(SplitPart.Validation),
            ["test"] = split.RowsOf(SplitPart.Test),
        };
        if (rows.Values.Any(r => r.Length == 0))
        {
            throw new DataValidationException($"the split left a part empty ({string.Join(", ", rows.Select(p => $"{p.Key} {p.Value.Length}"))}): more data is needed");
        }

        return new Prepared(
            dataset.Taxonomy.Labels,
            rows.ToDictionary(p => p.Key, p => p.Value.Select(i => texts[kept[i]]).ToArray()),
            rows.ToDictionary(p => p.Key, p => labelMatrix.SelectRows(p.Value)));
    }

    private static Featurized Featurize(Prepared prepared, TfidfOptions options)
    {
        var (vectorizer, trainRows) = TfidfVectorizer.FitTransform(prepared.Texts["train"], options);
        var rows = new Dictionary<string, SparseRow[]> { ["train"] = trainRows };
        foreach (var split in Splits.Skip(1))
        {
            var texts = prepared.Texts[split];
            var transformed = new SparseRow[texts.Length];
            Parallel.For(0, texts.Length, i => transformed[i] = vectorizer.Transform(texts[i]));
            rows[split] = transformed;
        }

        return new Featurized(vectorizer, rows);
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

    private static LabelMatrix Decide(double[][] scores, double[] thresholds)
    {
        var predicted = new LabelMatrix(scores.Length, thresholds.Length);
        for (var r = 0; r < scores.Length; r++)
        {
            TagSuggester.Decide(scores[r], thresholds, predicted.Row(r));
        }

        return predicted;
    }

    /// <summary>Each split's preprocessed texts and true labels.</summary>
    private sealed record Prepared(LabelIndex Labels, Dictionary<string, string[]> Texts, Dictionary<string, LabelMatrix> Truth);

    /// <summary>The TF-IDF fitted on the training texts and every split's rows.</summary>
    private sealed record Featurized(TfidfVectorizer Vectorizer, Dictionary<string, SparseRow[]> Rows);

    /// <summary>The most recently used entries, each computed once even when asked for by two trials at once.</summary>
    private sealed class RecentCache<TKey, TValue>
        where TKey : notnull
    {
        private readonly int _capacity;
        private readonly Dictionary<TKey, Lazy<TValue>> _entries = [];
        private readonly LinkedList<TKey> _recent = [];
        private readonly Lock _lock = new();
        private int _computed;
        private int _reused;

        public RecentCache(int capacity)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
            _capacity = capacity;
        }

        public (int Computed, int Reused) Counts
        {
            get
            {
                lock (_lock)
                {
                    return (_computed, _reused);
                }
            }
        }

        public TValue Get(TKey key, Func<TValue> compute)
        {
            Lazy<TValue> entry;
            lock (_lock)
            {
                if (_entries.TryGetValue(key, out var found))
                {
                    _reused++;
                    _recent.Remove(key);
                    entry = found;
                }
                else
                {
                    _computed++;
                    entry = new Lazy<TValue>(compute, LazyThreadSafetyMode.ExecutionAndPublication);
                    _entries[key] = entry;
                    while (_entries.Count > _capacity)
                    {
                        // the least recently used entry goes (a running trial that holds it keeps it alive until it ends)
                        _entries.Remove(_recent.Last!.Value);
                        _recent.RemoveLast();
                    }
                }

                _recent.AddFirst(key);
            }

            try
            {
                return entry.Value;
            }
            catch
            {
                lock (_lock)
                {
                    // a failed computation is not kept
                    if (_entries.TryGetValue(key, out var current) && current == entry)
                    {
                        _entries.Remove(key);
                        _recent.Remove(key);
                    }
                }

                throw;
            }
        }
    }
}
