using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TagOlym.Core.Models;

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

    /// <summary>
    /// The training arguments, every key explicit (the layout of <see cref="Learning.TrainingArgs.ToJson"/>): the one
    /// place the model's preprocessing and TF-IDF settings are read from.
    /// </summary>
    public required JsonObject TrainingArgs { get; init; }

    /// <summary>The kinds of the scoring members, in order (e.g. <c>["linear"]</c>).</summary>
    public required IReadOnlyList<string> Members { get; init; }

    /// <summary>How the members' scores are combined (e.g. <c>single</c>).</summary>
    public required string Combiner { get; init; }

    /// <summary>The taxonomy the labels come from, as its JSON file.</summary>
    public required JsonNode Taxonomy { get; init; }

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
