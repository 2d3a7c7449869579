using System.Text.Json;
using System.Text.Json.Nodes;
using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Text;

namespace TagOlym.Core.Models;

/// <summary>
/// A trained model: everything prediction needs (taxonomy, preprocessing options, vocabulary and idf, weights,
/// thresholds) and what it was made from (training arguments, metrics, a fingerprint of the data), in one
/// immutable, versioned, checksummed file. Loading a saved model gives exactly the same predictions.
/// </summary>
public sealed class TagModel
{
    public TagModel(ModelManifest manifest, TfidfVectorizer vectorizer, LinearModel classifier)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(vectorizer);
        ArgumentNullException.ThrowIfNull(classifier);
        if (manifest.Labels.Count != classifier.LabelCount || manifest.Thresholds.Count != classifier.LabelCount)
        {
            throw new ArgumentException(
                $"the manifest names {manifest.Labels.Count} labels and {manifest.Thresholds.Count} thresholds for {classifier.LabelCount} classifiers");
        }

        if (vectorizer.FeatureCount != classifier.FeatureCount)
        {
            throw new ArgumentException("the vectorizer and the classifier disagree on the number of features");
        }

        Manifest = manifest;
        Vectorizer = vectorizer;
        Classifier = classifier;
        Taxonomy = Taxonomy.Parse(manifest.Taxonomy.ToJsonString(), "the model's taxonomy");
        Thresholds = [.. manifest.Thresholds];
    }

    public ModelManifest Manifest { get; }

    public Taxonomy Taxonomy { get; }

    public TfidfVectorizer Vectorizer { get; }

    public LinearModel Classifier { get; }

    public IReadOnlyList<string> Labels => Manifest.Labels;

    public IReadOnlyList<double> Thresholds { get; }

    public PreprocessOptions Preprocess => Manifest.Preprocess.ToOptions();

    public static TagModel Create(
        Taxonomy taxonomy,
        PreprocessOptions preprocess,
        TfidfVectorizer vectorizer,
        LinearModel classifier,
        IReadOnlyList<double> thresholds,
        JsonNode? trainingArgs = null,
        JsonNode? metrics = null,
        string? dataFingerprint = null,
        int trainingRows = 0)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        ArgumentNullException.ThrowIfNull(vectorizer);
        ArgumentNullException.ThrowIfNull(classifier);
        var manifest = new ModelManifest
        {
            CreatedUtc = DateTimeOffset.UtcNow,
            Labels = taxonomy.Labels.Names,
            Thresholds = thresholds,
            Loss = LossName(classifier.Loss),
            Preprocess = new PreprocessSettings(preprocess.NoCommand, preprocess.Stem, preprocess.TitleWeight),
            Tfidf = TfidfSettings.From(vectorizer.Options),
            Taxonomy = JsonNode.Parse(taxonomy.ToJson())!,
            TrainingArgs = trainingArgs,
            Metrics = metrics,
            DataFingerprint = dataFingerprint,
            TrainingRows = trainingRows,
            FeatureCount = vectorizer.FeatureCount,
            StoredFeatureCount = classifier.StoredFeatureCount,
        };
        return new TagModel(manifest, vectorizer, classifier);
    }

    /// <summary>A copy with other metadata (e.g. metrics computed after the thresholds were chosen).</summary>
    public TagModel WithManifest(Func<ModelManifest, ModelManifest> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new TagModel(change(Manifest), Vectorizer, Classifier);
    }

    /// <summary>Writes the model atomically: a reader sees the old file or the new one, never half of one.</summary>
    public void Save(string path) => ModelFile.Write(path, Manifest.ToJson(), Vectorizer, Classifier);

    /// <summary>Reads a model file; throws <see cref="ModelFormatException"/> for anything but an intact model.</summary>
    public static TagModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no model file at {path}", path);
        }

        var (manifestJson, vectorizer, classifier) = ModelFile.Read(path);
        vectorizer.EnsureLookup();
        try
        {
            return new TagModel(ModelManifest.FromJson(manifestJson), vectorizer, classifier);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            throw new ModelFormatException($"{path} has an unusable manifest: {e.Message}", e);
        }
    }

    public static string LossName(SgdLoss loss) => loss switch
    {
        SgdLoss.Hinge => "hinge",
        SgdLoss.LogLoss => "log_loss",
        SgdLoss.ModifiedHuber => "modified_huber",
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
    };
}
