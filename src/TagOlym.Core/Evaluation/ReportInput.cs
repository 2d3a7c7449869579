using TagOlym.Core.Labels;

namespace TagOlym.Core.Evaluation;

/// <summary>A model's scores on one split of labeled posts, the truth, and the metrics of its decisions there.</summary>
/// <param name="Name">The split's name (<c>train</c>, <c>val</c>, <c>test</c>, or the evaluated file's).</param>
/// <param name="Truth">True labels, posts x labels.</param>
/// <param name="Scores">One score per label for each post, in the same order.</param>
/// <param name="Metrics">The metrics of the thresholded scores (with slices, if the caller had the texts).</param>
public sealed record ReportSplit(string Name, LabelMatrix Truth, IReadOnlyList<double[]> Scores, EvaluationReport Metrics);

/// <summary>A baseline's metrics on one of the report's splits.</summary>
/// <param name="Name">What the baseline is (<c>random</c>, <c>rules</c>).</param>
/// <param name="Split">The split it was measured on.</param>
public sealed record ReportBaseline(string Name, string Split, EvaluationReport Metrics);

/// <summary>
/// Everything the HTML evaluation report shows, as plain data: no dependency on how the model was trained or loaded.
/// The pictures (bars, co-occurrence) are drawn for <see cref="HeldOutSplit"/>; tables and curves cover every split.
/// </summary>
public sealed record ReportInput
{
    public required string Title { get; init; }

    /// <summary>Label names, in column order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Each label's decision threshold (a tag is suggested when its score is above it).</summary>
    public required IReadOnlyList<double> Thresholds { get; init; }

    public required IReadOnlyList<ReportSplit> Splits { get; init; }

    public IReadOnlyList<ReportBaseline> Baselines { get; init; } = [];

    /// <summary>The split the per-label pictures are drawn for; <see langword="null"/> for the last split.</summary>
    public string? HeldOutSplit { get; init; }

    /// <summary>The model's training arguments, as JSON.</summary>
    public string? ArgumentsJson { get; init; }

    /// <summary>The fingerprint of the data the model was trained on.</summary>
    public string? DataFingerprint { get; init; }

    /// <summary>Other facts worth a line (model version, data file, ...), in display order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];

    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The split <see cref="HeldOutSplit"/> names, or the last one.</summary>
    public ReportSplit HeldOut => HeldOutSplit is null
        ? Splits[^1]
        : Splits.FirstOrDefault(s => s.Name == HeldOutSplit) ?? throw new ArgumentException($"no split named '{HeldOutSplit}'");

    /// <summary>Throws <see cref="ArgumentException"/> when the parts do not fit together.</summary>
    public void Check()
    {
        ArgumentNullException.ThrowIfNull(Labels);
        ArgumentNullException.ThrowIfNull(Splits);
        if (Labels.Count == 0)
        {
            throw new ArgumentException("a report needs at least one label");
        }

        if (Thresholds.Count != Labels.Count)
        {
            throw new ArgumentException($"{Thresholds.Count} thresholds for {Labels.Count} labels");
        }

        if (Splits.Count == 0)
        {
            throw new ArgumentException("a report needs at least one split");
        }

        if (Splits.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != Splits.Count)
        {
            throw new ArgumentException("split names must be distinct");
        }

        foreach (var split in Splits)
        {
            if (split.Truth.Labels != Labels.Count || split.Metrics.Class.Count != Labels.Count)
            {
                throw new ArgumentException($"split '{split.Name}' does not have {Labels.Count} labels");
            }

            if (split.Scores.Count != split.Truth.Rows || split.Scores.Any(row => row.Length != Labels.Count))
            {
                throw new ArgumentException($"split '{split.Name}' needs one score per label for each of its {split.Truth.Rows} posts");
            }
        }

        foreach (var baseline in Baselines)
        {
            if (Splits.All(s => s.Name != baseline.Split))
            {
                throw new ArgumentException($"baseline '{baseline.Name}' was measured on '{baseline.Split}', which is not a split of the report");
            }
        }

        _ = HeldOut;
    }
}
