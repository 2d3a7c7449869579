using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Features;
using TagOlym.Core.Learning;
using TagOlym.Core.Learning.Search;
using TagOlym.Core.Models;
using TagOlym.Core.Text;

namespace TagOlym.Core.Training;

/// <summary>
/// The training of a hyperparameter trial: the stages of <see cref="TrainingFlow"/> up to evaluation (so the same
/// metrics), with the work that does not depend on the trial's learner reused: the posts are read and validated
/// once; the preprocessed, split posts depend only on the preprocessing options (<c>nocommand</c>, <c>stem</c>, the
/// title weight), whether titles are needed (a title block) and the seed, and the fitted features (TF-IDF and the
/// training rows) only on those, the TF-IDF options (<c>ngram_max</c>, ...) and the title block's weight. Each cache
/// keeps its most recently used entries, at most <paramref name="preprocessed"/> and <paramref name="featurized"/>
/// (plus those the running trials hold), so memory stays bounded; two trials asking for the same entry at once share
/// one computation. A trial that only changes the learner neither preprocesses nor featurizes. The split is seeded by
/// the arguments' seed, as <c>tagolym train</c> seeds it.
/// </summary>
public sealed class TrialTraining(TrainingRequest template, int preprocessed = 2, int featurized = 2) : IArgsEvaluator
{
    private readonly Lazy<ValidatedData> _data = new(() => ValidateStage.Run(template.DataPath, template.Taxonomy, template.Rules));
    private readonly RecentCache<(PreprocessOptions, int, bool), Splits<PreparedPosts>> _posts = new(preprocessed);
    private readonly RecentCache<(PreprocessOptions, int, TfidfOptions, double), FeaturizedPosts> _features = new(featurized);

    /// <summary>How often the split posts were computed, and how often reused.</summary>
    public (int Computed, int Reused) PreprocessCounts => _posts.Counts;

    /// <summary>How often the features were computed, and how often reused.</summary>
    public (int Computed, int Reused) FeaturizeCounts => _features.Counts;

    public IReadOnlyDictionary<string, EvaluationReport> Evaluate(TrainingArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var seed = args.Sgd.Seed;
        var labels = template.Taxonomy.Labels;
        var withTitles = args.TitleBlockWeight > 0;
        var posts = _posts.Get((args.Preprocess, seed, withTitles), () =>
            SplitStage.Run(PreprocessStage.Run(_data.Value.Dataset, args.Preprocess, withTitles, cancellationToken: cancellationToken).Posts, template.Split, seed));
        var features = _features.Get((args.Preprocess, seed, args.Tfidf, args.TitleBlockWeight), () => FeaturizeStage.Run(posts.Train, args));

        var members = LearnStage.Run(features.TrainRows, posts.Train.Labels, posts.Train.Tags, features.Vectorizer.FeatureCount, args, template.Taxonomy, cancellationToken: cancellationToken);
        var outOfFold = args.UseStage
            ? LearnStage.OutOfFold(features.TrainRows, posts.Train.Labels, posts.Train.Tags, features.Vectorizer.FeatureCount, args, template.Taxonomy, cancellationToken: cancellationToken)
            : null;
        var (_, scores, thresholds) = CalibrateStage.Run(features, members, outOfFold, posts, args, cancellationToken: cancellationToken);
        return EvaluateStage.Run(posts, scores, thresholds, labels, args).Metrics;
    }

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
