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
}

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
