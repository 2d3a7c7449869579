using System.Text.Json;
using System.Text.Json.Nodes;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Text;

namespace TagOlym.Core.Models;

/// <summary>
/// A trained model: the fitted scoring pipeline (<see cref="PostScorer"/>), one decision threshold per label, and
/// what it was made from (taxonomy, training arguments, metrics, a fingerprint of the data), in one immutable,
/// versioned, checksummed file. Loading a saved model gives exactly the same scores and decisions.
/// </summary>
public sealed class TagModel
{
    public TagModel(ModelManifest manifest, PostScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(scorer);
        if (manifest.Labels.Count != scorer.LabelCount || manifest.Thresholds.Count != scorer.LabelCount)
        {
            throw new ArgumentException(
                $"the manifest names {manifest.Labels.Count} labels and {manifest.Thresholds.Count} thresholds for {scorer.LabelCount} scores");
        }

        Manifest = manifest;
        Scorer = scorer;
        Args = TrainingArgs.FromJson(manifest.TrainingArgs, "the model's training arguments");
        Taxonomy = Taxonomy.Parse(manifest.Taxonomy.ToJsonString(), "the model's taxonomy");
        Thresholds = new LabelThresholds(manifest.Thresholds);
    }

    public ModelManifest Manifest { get; }

    public PostScorer Scorer { get; }

    public TrainingArgs Args { get; }

    public Taxonomy Taxonomy { get; }

    public IReadOnlyList<string> Labels => Manifest.Labels;

    public LabelThresholds Thresholds { get; }

    /// <summary>Writes each label's score for a raw post into <paramref name="scores"/>.</summary>
    public void Score(string post, Span<double> scores) => Scorer.Score(post, scores);

    /// <summary>Whether each label is suggested: its score is strictly above its threshold.</summary>
    public void Decide(ReadOnlySpan<double> scores, Span<bool> suggested) => Thresholds.Decide(scores, suggested);

    /// <summary>Why a post gets each label's score (see <see cref="PostScorer.Explain"/>), with the thresholds' verdicts, in label order.</summary>
    /// <param name="top">How many n-grams each linear member names per label.</param>
    public IReadOnlyList<LabelExplanation> Explain(string post, int top = 10)
    {
        var explained = Scorer.Explain(post, top);
        var scores = explained.Select(e => e.Score).ToArray();
        var suggested = new bool[scores.Length];
        Decide(scores, suggested);
        var words = PostPreprocessor.WordTokens(post, Scorer.Preprocess);
        return [.. explained.Select((e, l) => new LabelExplanation(
            Labels[l], e.Score, Thresholds[l], suggested[l], Scorer.Combiner.Kind, e.Members, LabelExplanation.ContributingWords(e.Members, words),
            Scorer.Combiner is SingleMemberCombiner ? null : e.Combination))];
    }

    /// <summary>Packages a fitted scorer with its thresholds and what it was made from.</summary>
    public static TagModel Create(
        Taxonomy taxonomy,
        TrainingArgs args,
        PostScorer scorer,
        IReadOnlyList<double> thresholds,
        JsonNode? metrics = null,
        string? dataFingerprint = null,
        int trainingRows = 0)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(scorer);
        var manifest = new ModelManifest
        {
            CreatedUtc = DateTimeOffset.UtcNow,
            Labels = taxonomy.Labels.Names,
            Thresholds = thresholds,
            TrainingArgs = args.ToJson(),
            Members = [.. scorer.Members.Select(m => m.Name)],
            Combiner = scorer.Combiner.Kind,
            Taxonomy = JsonNode.Parse(taxonomy.ToJson())!,
            Metrics = metrics,
            DataFingerprint = dataFingerprint,
            TrainingRows = trainingRows,
            FeatureCount = scorer.Features.FeatureCount,
            StoredFeatureCount = scorer.Members.OfType<LinearMember>().Sum(m => m.Classifier.StoredFeatureCount),
        };
        return new TagModel(manifest, scorer);
    }

    /// <summary>Writes the model atomically: a reader sees the old file or the new one, never half of one.</summary>
    public void Save(string path) => ModelFile.Write(path, Manifest, Scorer);

    /// <summary>Reads a model file; throws <see cref="ModelFormatException"/> for anything but an intact model.</summary>
    public static TagModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no model file at {path}", path);
        }

        var (manifest, scorer) = ModelFile.Read(path);
        scorer.Features.EnsureLookup(); // now, so that the first post served is not the slow one
        try
        {
            return new TagModel(manifest, scorer);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or TrainingArgsException)
        {
            throw new ModelFormatException($"{path} has an unusable manifest: {e.Message}", e);
        }
    }
}
