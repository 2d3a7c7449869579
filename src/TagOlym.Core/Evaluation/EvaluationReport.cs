using System.Text.Json;
using System.Text.Json.Serialization;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// The metrics of one set of predictions, shaped like the anchor's <c>*_metrics.json</c>:
/// <code>
/// {
///   "overall": {"precision": .., "recall": .., "f1": .., "num_samples": posts},   (support-weighted average)
///   "micro":   {"precision": .., "recall": .., "f1": .., "num_samples": posts},   (ours; the anchor has no micro entry)
///   "class":   {"algebra": {"precision": .., "recall": .., "f1": .., "num_samples": support}, ...},
///   "slices":  {"short_post": {"precision": .., "recall": .., "f1": .., "num_samples": posts in slice}, ...}
/// }
/// </code>
/// <c>class</c> is in label order, <c>slices</c> in slice order; a slice with no post is absent, and <c>slices</c> is
/// absent altogether when no texts were given (the anchor's <c>df=None</c>).
/// </summary>
public sealed class EvaluationReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly JsonSerializerOptions Compact = new();

    [JsonPropertyName("overall")]
    [JsonPropertyOrder(0)]
    public required MetricSet Overall { get; init; }

    [JsonPropertyName("micro")]
    [JsonPropertyOrder(1)]
    public required MetricSet Micro { get; init; }

    [JsonPropertyName("class")]
    [JsonPropertyOrder(2)]
    public required IReadOnlyDictionary<string, MetricSet> Class { get; init; }

    [JsonPropertyName("slices")]
    [JsonPropertyOrder(3)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, MetricSet>? Slices { get; init; }

    public string ToJson(bool indented = true) => JsonSerializer.Serialize(this, indented ? Indented : Compact);

    /// <summary>Reads a report written by <see cref="ToJson"/> or by the anchor (whose files lack <c>micro</c>: it reads as zeros).</summary>
    public static EvaluationReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var dto = JsonSerializer.Deserialize<ReportDto>(json) ?? throw new JsonException("the report is null");
        return new EvaluationReport
        {
            Overall = dto.Overall ?? throw new JsonException("the report has no 'overall'"),
            Micro = dto.Micro ?? new MetricSet(0, 0, 0, 0),
            Class = dto.Class ?? throw new JsonException("the report has no 'class'"),
            Slices = dto.Slices,
        };
    }

    private sealed class ReportDto
    {
        [JsonPropertyName("overall")]
        public MetricSet? Overall { get; set; }

        [JsonPropertyName("micro")]
        public MetricSet? Micro { get; set; }

        [JsonPropertyName("class")]
        public OrderedDictionary<string, MetricSet>? Class { get; set; }

        [JsonPropertyName("slices")]
        public OrderedDictionary<string, MetricSet>? Slices { get; set; }
    }
}
