using System.Text.Json.Nodes;
using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;

namespace TagOlym.Core.Training;

/// <summary>How the labeled posts are split into train, validation and test.</summary>
public enum SplitMethod
{
    /// <summary>Iterative stratification of order 2, 70/15/15, seeded (the pipeline's own split).</summary>
    Stratified,

    /// <summary>The fixed benchmark split by id of <c>data/README.md</c>, for figures comparable across systems.</summary>
    Fixed,
}

/// <summary>What to train on and how.</summary>
public sealed record TrainingRequest(string DataPath, TrainingArgs Args)
{
    public Taxonomy Taxonomy { get; init; } = Taxonomy.Default;

    public SplitMethod Split { get; init; } = SplitMethod.Stratified;

    /// <summary>Seeds the stratified split (the learner's seed is in <see cref="TrainingArgs"/>).</summary>
    public int SplitSeed { get; init; } = 42;

    public ValidationRules? Rules { get; init; }
}

/// <summary>A step of the flow reporting how far it is (0..1); <paramref name="Detail"/> says what it is doing.</summary>
public readonly record struct TrainingProgress(string Stage, double Fraction, string? Detail = null);

/// <summary>How long one stage took, and the process's peak working set when it ended (how memory grows).</summary>
public sealed record StageTiming(string Stage, TimeSpan Elapsed, long PeakWorkingSetBytes);

/// <summary>The trained model and everything learned on the way.</summary>
/// <param name="Metrics">The model's metrics on each part of the split, by <see cref="Splits{T}.Names"/>.</param>
/// <param name="Baselines">The random and rule baselines' metrics on the test split, to read the model's against.</param>
/// <param name="Report">What the HTML evaluation report of the training shows (<see cref="HtmlReport"/>).</param>
public sealed record TrainingResult(
    TagModel Model,
    ValidationReport Validation,
    IReadOnlyDictionary<string, EvaluationReport> Metrics,
    IReadOnlyDictionary<string, EvaluationReport> Baselines,
    IReadOnlyList<StageTiming> Timings,
    int EmptyPostsDropped,
    IReadOnlyDictionary<string, int> SplitSizes,
    ReportInput Report)
{
    /// <summary><c>{"train": M, "val": M, "test": M}</c>, each M in the anchor's layout plus <c>micro</c>.</summary>
    public JsonObject MetricsJson() => EvaluateStage.ToJson(Metrics);
}
