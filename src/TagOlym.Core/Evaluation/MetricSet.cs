using System.Text.Json.Serialization;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// Precision, recall and F1 of one group of predictions, with the anchor's <c>num_samples</c>: the number of posts for
/// an average (overall, micro, a slice) and the support (posts that truly carry the label) for one label.
/// </summary>
public sealed record MetricSet(
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("f1")] double F1,
    [property: JsonPropertyName("num_samples")] long NumSamples);
