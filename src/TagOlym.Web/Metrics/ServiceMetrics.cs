using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Prometheus;
using TagOlym.Core.Models;
using TagOlym.Web.Serving;

namespace TagOlym.Web.Metrics;

/// <summary>The <c>Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>The sliding window of the per-label suggestion rates.</summary>
    public TimeSpan SuggestionWindow { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The service's own Prometheus metrics, in a registry of its own (so two services in one process never mix counts):
/// posts scored and the serving version per named model, and per label the share of recent posts that got the tag
/// (over <see cref="MetricsOptions.SuggestionWindow"/>) next to its share of the model's training posts. The gauges are
/// brought up to date when Prometheus scrapes.
/// </summary>
public sealed class ServiceMetrics
{
    private const int Buckets = 10;

    private readonly ModelCatalog catalog;
    private readonly TimeProvider clock;
    private readonly TimeSpan bucketLength;
    private readonly Counter postsScored;
    private readonly Gauge modelInfo;
    private readonly Gauge suggestionRate;
    private readonly Gauge trainingShare;
    private readonly Gauge windowPosts;
    private readonly Dictionary<string, SlotState> states;

    public ServiceMetrics(ModelCatalog catalog, IOptions<MetricsOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        this.catalog = catalog;
        this.clock = clock;
        bucketLength = options.Value.SuggestionWindow / Buckets;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        postsScored = Factory.CreateCounter("tagolym_posts_scored_total", "Posts scored, per served model.", ["model"]);
        modelInfo = Factory.CreateGauge("tagolym_model_info",
            "1 for the version each named model serves now (name: the registered or file name; version: its version).", ["model", "name", "version"]);
        suggestionRate = Factory.CreateGauge("tagolym_label_suggestion_rate",
            "Share of the posts scored over the sliding window (Metrics:SuggestionWindow) that got the label, by the model's thresholds.", ["model", "label"]);
        trainingShare = Factory.CreateGauge("tagolym_label_training_share",
            "Share of the serving model's training posts that carry the label: compare with tagolym_label_suggestion_rate to see drift.", ["model", "label"]);
        windowPosts = Factory.CreateGauge("tagolym_suggestion_window_posts", "Posts scored over the sliding window, per served model.", ["model"]);
        states = catalog.All.ToDictionary(s => s.Key, s => new SlotState(postsScored.WithLabels(s.Key)), StringComparer.Ordinal);
        Registry.AddBeforeCollectCallback(Refresh);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Creates metrics in <see cref="Registry"/> (the HTTP request metrics use it too).</summary>
    public IMetricFactory Factory { get; }

    /// <summary>Counts the posts a model scored and the tags its thresholds gave them.</summary>
    public void RecordSuggestions(ModelSlot slot, ServedModel serving, IReadOnlyList<PostSuggestion> suggestions)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(suggestions);
        var state = states[slot.Key];
        state.PostsScored.Inc(suggestions.Count);
        state.Record(serving, suggestions, Tick());
    }

    private long Tick() => clock.GetUtcNow().Ticks / bucketLength.Ticks;

    private void Refresh()
    {
        var tick = Tick();
        foreach (var slot in catalog.All)
        {
            var state = states[slot.Key];
            var serving = slot.Current.Serving;
            var shown = state.Shown;
            if (shown is not null && (serving is null || !ReferenceEquals(shown, serving)))
            {
                // the labels of the model that no longer serves go away with it
                modelInfo.RemoveLabelled(slot.Key, shown.Identity.Name, shown.Identity.Version);
                foreach (var label in shown.Model.Labels)
                {
                    suggestionRate.RemoveLabelled(slot.Key, label);
                    trainingShare.RemoveLabelled(slot.Key, label);
                }
            }

            state.Shown = serving;
            if (serving is null)
            {
                continue;
            }

            modelInfo.WithLabels(slot.Key, serving.Identity.Name, serving.Identity.Version).Set(1);
            var shares = TrainingShares(serving.Model.Manifest);
            var (posts, counts) = state.Window(serving, tick);
            windowPosts.WithLabels(slot.Key).Set(posts);
            for (var l = 0; l < serving.Model.Labels.Count; l++)
            {
                var label = serving.Model.Labels[l];
                suggestionRate.WithLabels(slot.Key, label).Set(posts == 0 ? 0 : (double)counts[l] / posts);
                if (shares?[l] is { } share)
                {
                    trainingShare.WithLabels(slot.Key, label).Set(share);
                }
            }
        }
    }

    /// <summary>Each label's support in the training split over the split's posts, from the model's recorded metrics; null when absent.</summary>
    private static double?[]? TrainingShares(ModelManifest manifest)
    {
        if (manifest.Metrics?["train"] is not JsonObject train || train["overall"]?["num_samples"]?.GetValue<double>() is not { } posts || posts <= 0)
        {
            return null;
        }

        return manifest.Labels.Select(label => train["class"]?[label]?["num_samples"]?.GetValue<double>() / posts).ToArray();
    }

    /// <summary>One model slot's sliding window: <see cref="Buckets"/> buckets of posts and per-label counts, for the model serving.</summary>
    private sealed class SlotState(Counter.Child postsScored)
    {
        private readonly Lock gate = new();
        private ServedModel? model;
        private Dictionary<string, int> labelIndex = new(StringComparer.Ordinal);
        private readonly long[] ticks = new long[Buckets];
        private readonly long[] posts = new long[Buckets];
        private long[][] counts = [];

        public Counter.Child PostsScored { get; } = postsScored;

        public ServedModel? Shown { get; set; }

        public void Record(ServedModel serving, IReadOnlyList<PostSuggestion> suggestions, long tick)
        {
            lock (gate)
            {
                var bucket = Bucket(serving, tick);
                posts[bucket] += suggestions.Count;
                foreach (var suggestion in suggestions)
                {
                    foreach (var tag in suggestion.Tags)
                    {
                        counts[bucket][labelIndex[tag.Tag]]++;
                    }
                }
            }
        }

        public (long Posts, long[] Counts) Window(ServedModel serving, long tick)
        {
            lock (gate)
            {
                Bucket(serving, tick);
                var sum = new long[serving.Model.Labels.Count];
                long total = 0;
                for (var b = 0; b < Buckets; b++)
                {
                    if (ticks[b] > tick - Buckets)
                    {
                        total += posts[b];
                        for (var l = 0; l < sum.Length; l++)
                        {
                            sum[l] += counts[b][l];
                        }
                    }
                }

                return (total, sum);
            }
        }

        /// <summary>The bucket of <paramref name="tick"/>, emptied when it last held an older tick; all emptied when the model changed.</summary>
        private int Bucket(ServedModel serving, long tick)
        {
            if (!ReferenceEquals(model, serving))
            {
                model = serving;
                labelIndex = serving.Model.Labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
                counts = Enumerable.Range(0, Buckets).Select(_ => new long[serving.Model.Labels.Count]).ToArray();
                Array.Clear(posts);
                Array.Clear(ticks);
            }

            var bucket = (int)(tick % Buckets);
            if (ticks[bucket] != tick)
            {
                ticks[bucket] = tick;
                posts[bucket] = 0;
                Array.Clear(counts[bucket]);
            }

            return bucket;
        }
    }
}
