namespace TagOlym.Core.Models;

/// <summary>
/// Turns the members' per-label scores into one score per label. Immutable and safe to share between threads.
/// </summary>
public abstract class ScoreCombiner
{
    /// <summary>The combiner's kind, as written in the model file and shown in the manifest.</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Combines <paramref name="memberScores"/> (member <c>m</c>'s scores at <c>[m * labels ..][..labels]</c>) into
    /// <paramref name="scores"/>.
    /// </summary>
    public abstract void Combine(ReadOnlySpan<double> memberScores, int memberCount, Span<double> scores);

    /// <summary>How <see cref="Combine"/> made the score of <paramref name="label"/>: by default, only that it did.</summary>
    public virtual CombinationExplanation Explain(ReadOnlySpan<double> memberScores, int memberCount, int label)
    {
        Span<double> scores = stackalloc double[memberScores.Length / memberCount];
        Combine(memberScores, memberCount, scores);
        return new CombinationExplanation(Kind, MembersScore: scores[label]);
    }
}

/// <summary>
/// How a combiner turned the members' scores of one label into its final score. For a z-score average,
/// <c>MembersScore = Σ Weights[m] × StandardScores[m] / Σ Weights</c>; with a second stage, the final score is
/// <c>(MembersStandardScore + StageStandardScore) / 2</c> where the stage is used for the label, else <c>MembersScore</c>.
/// </summary>
/// <param name="StandardScores">Each member's score, standardized with its validation mean and deviation.</param>
/// <param name="StageScore">The second stage's score (log-odds, the mean over its fold models), where the label uses it.</param>
public sealed record CombinationExplanation(
    string Kind,
    IReadOnlyList<double>? StandardScores = null,
    IReadOnlyList<double>? Weights = null,
    double MembersScore = 0,
    double? MembersStandardScore = null,
    double? StageScore = null,
    double? StageStandardScore = null);

/// <summary>The scores of the only member, unchanged (a model of one member).</summary>
public sealed class SingleMemberCombiner : ScoreCombiner
{
    public const string KindName = "single";

    public static SingleMemberCombiner Instance { get; } = new();

    public override string Kind => KindName;

    public override void Combine(ReadOnlySpan<double> memberScores, int memberCount, Span<double> scores)
    {
        if (memberCount != 1)
        {
            throw new ArgumentException($"the single-member combiner got {memberCount} members", nameof(memberCount));
        }

        memberScores[..scores.Length].CopyTo(scores);
    }
}
