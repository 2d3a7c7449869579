using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TagOlym.Core.Features;
using TagOlym.Core.Text;

namespace TagOlym.Core.Models;

/// <summary>How posts were preprocessed for this model.</summary>
public sealed record PreprocessSettings(bool NoCommand, bool Stem, int TitleWeight)
{
    public PreprocessOptions ToOptions() => new(NoCommand, Stem, TitleWeight);
}

/// <summary>How the TF-IDF features were built.</summary>
public sealed record TfidfSettings(int NgramMax, int MinDf, int? MaxFeatures, bool SublinearTf)
{
    public static TfidfSettings From(TfidfOptions options) => new(options.NgramMax, options.MinDf, options.MaxFeatures, options.SublinearTf);

    public TfidfOptions ToOptions() => new(NgramMax, MinDf, MaxFeatures, SublinearTf);
}

/// <summary>
/// The readable part of a model file: what the model predicts, how it was made, and how well it did.
/// Serialized as snake_case JSON inside the file, and shown as is by <c>GET /model</c> and <c>tagolym models</c>.
/// </summary>
public sealed record ModelManifest
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public int FormatVersion { get; init; } = ModelFile.FormatVersion;

    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>The label columns, in the order of <see cref="Thresholds"/>.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>A label is suggested when its score is strictly above its threshold.</summary>
    public required IReadOnlyList<double> Thresholds { get; init; }

    /// <summary>hinge, log_loss or modified_huber: tells whether scores are probabilities or margins.</summary>
    public required string Loss { get; init; }

    public required PreprocessSettings Preprocess { get; init; }

    public required TfidfSettings Tfidf { get; init; }

    /// <summary>The taxonomy the labels come from, as its JSON file.</summary>
    public required JsonNode Taxonomy { get; init; }

    /// <summary>The training arguments (the anchor's <c>args.json</c> layout plus TagOlym's own keys).</summary>
    public JsonNode? TrainingArgs { get; init; }

    /// <summary><c>{"train": M, "val": M, "test": M}</c> with M the evaluation report of each split.</summary>
    public JsonNode? Metrics { get; init; }

    /// <summary>SHA-256 over the training rows' ids and labels: equal fingerprints, equal training data.</summary>
    public string? DataFingerprint { get; init; }

    public int TrainingRows { get; init; }

    public int FeatureCount { get; init; }

    public int StoredFeatureCount { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ModelManifest FromJson(string json) =>
        JsonSerializer.Deserialize<ModelManifest>(json, Json) ?? throw new JsonException("the model manifest is empty");
}
