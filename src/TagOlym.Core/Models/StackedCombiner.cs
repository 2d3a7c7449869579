using TagOlym.Core.Learning;

namespace TagOlym.Core.Models;

/// <summary>
/// The z-scored average of the members (<see cref="ZScoreCombiner"/>) with a second stage on top: per label, an
/// ML.NET FastTree model over the post's stage features (<see cref="Features"/>: every member's standardized score
/// of every label, so a label can learn from the others', and the members' average) whose log-odds, standardized,
/// is averaged with the members' standardized average. The stage is used only for the labels where that won on
/// validation; the others keep the members' average. The stage was fitted on the validation posts in folds
/// (see <see cref="Training.CalibrateStage"/>): it is the mean of the fold models, and
/// <see cref="CombineHeldOut"/> gives the score of the one fold model that did not see a validation post.
/// Immutable and safe to use from many threads at once (scoring walks flat tree arrays and allocates nothing).
/// </summary>
public sealed class StackedCombiner : ScoreCombiner
{
    public const string KindName = "zscore+fasttree";

    private readonly LabelStats[] _stats;

    /// <param name="stats">Per label: null where the stage is not used, else the validation mean and deviation of
    /// the members' average and of the stage's score.</param>
    public StackedCombiner(ZScoreCombiner members, IReadOnlyList<FastTreeStage> folds, IReadOnlyList<LabelStats?> stats)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(stats);
        var featureCount = FeatureCount(members);
        if (folds.Count == 0 || stats.Count != members.LabelCount
            || folds.Any(f => f.LabelCount != members.LabelCount || f.FeatureCount != featureCount))
        {
            throw new ArgumentException($"a stage needs at least one fold model over {featureCount} features and statistics for each of {members.LabelCount} labels");
        }

        for (var l = 0; l < stats.Count; l++)
        {
            if (stats[l] is { } s ? !s.IsValid || folds.Any(f => !f.Covers(l)) : folds.Any(f => f.Covers(l)))
            {
                throw new ArgumentException($"label {l}: the fold models and the statistics disagree on whether the stage is used, or a deviation is not positive");
            }
        }

        Members = members;
        Folds = folds;
        _stats = [.. stats.Select(s => s ?? default)];
        UsesStage = [.. stats.Select(s => s is not null)];
    }

    public override string Kind => KindName;

    public ZScoreCombiner Members { get; }

    /// <summary>The stage's fold models; a label's stage score is their mean.</summary>
    public IReadOnlyList<FastTreeStage> Folds { get; }

    /// <summary>Per label, whether the stage is used.</summary>
    public IReadOnlyList<bool> UsesStage { get; }

    /// <summary>How many stage features a post has for a combiner of these members.</summary>
    public static int FeatureCount(ZScoreCombiner members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return (members.MemberCount + 1) * members.LabelCount;
    }

    /// <summary>
    /// The stage features of a post: member m's standardized score of label l at <c>[m * labels + l]</c>, then the
    /// members' average of each label; and the members' average itself into <paramref name="membersScores"/>.
    /// </summary>
    public static void Features(ZScoreCombiner members, ReadOnlySpan<double> memberScores, Span<float> features, Span<double> membersScores)
    {
        ArgumentNullException.ThrowIfNull(members);
        var labels = members.LabelCount;
        Span<double> standard = stackalloc double[labels];
        for (var m = 0; m < members.MemberCount; m++)
        {
            members.Standardize(m, memberScores.Slice(m * labels, labels), standard);
            for (var l = 0; l < labels; l++)
            {
                features[(m * labels) + l] = (float)standard[l];
            }
        }

        members.Combine(memberScores, members.MemberCount, membersScores);
        for (var l = 0; l < labels; l++)
        {
            features[(members.MemberCount * labels) + l] = (float)membersScores[l];
        }
    }

    public override void Combine(ReadOnlySpan<double> memberScores, int memberCount, Span<double> scores) =>
        Combine(memberScores, memberCount, scores, heldOutFold: -1);

    /// <summary>The scores as only fold model <paramref name="fold"/> would give them: what a validation post of
    /// that fold gets from a stage that never saw it (thresholds are tuned on these).</summary>
    public void CombineHeldOut(ReadOnlySpan<double> memberScores, int fold, Span<double> scores)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fold);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fold, Folds.Count);
        Combine(memberScores, Members.MemberCount, scores, fold);
    }

    public override CombinationExplanation Explain(ReadOnlySpan<double> memberScores, int memberCount, int label)
    {
        var members = Members.Explain(memberScores, memberCount, label);
        Span<double> scores = stackalloc double[Members.LabelCount];
        Combine(memberScores, memberCount, scores);
        if (!UsesStage[label])
        {
            return members with { Kind = Kind };
        }

        var stats = _stats[label];
        var stage = StageScore(memberScores, label, heldOutFold: -1);
        return members with
        {
            Kind = Kind,
            MembersStandardScore = (members.MembersScore - stats.MembersMean) / stats.MembersDeviation,
            StageScore = stage,
            StageStandardScore = (stage - stats.StageMean) / stats.StageDeviation,
        };
    }

    /// <summary>
    /// The combiner as a model-file section: the members' combiner, per label a flag and (when set) its four
    /// statistics, then the fold models (each ML.NET's own model bytes, see <see cref="FastTreeStage.Write"/>).
    /// </summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Members.Write(writer);
        for (var l = 0; l < _stats.Length; l++)
        {
            writer.Write(UsesStage[l]);
            if (UsesStage[l])
            {
                writer.Write(_stats[l].MembersMean);
                writer.Write(_stats[l].MembersDeviation);
                writer.Write(_stats[l].StageMean);
                writer.Write(_stats[l].StageDeviation);
            }
        }

        writer.Write7BitEncodedInt(Folds.Count);
        foreach (var fold in Folds)
        {
            fold.Write(writer);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote; a cut-short section or a fold model ML.NET cannot read is an
    /// <see cref="InvalidDataException"/>.</summary>
    public static StackedCombiner Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            var members = ZScoreCombiner.Read(reader);
            var stats = new LabelStats?[members.LabelCount];
            for (var l = 0; l < stats.Length; l++)
            {
                stats[l] = reader.ReadBoolean() ? new LabelStats(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()) : null;
            }

            var foldCount = reader.Read7BitEncodedInt();
            if (foldCount is < 1 or > 100)
            {
                throw new InvalidDataException($"the second stage declares {foldCount} fold models");
            }

            var folds = new FastTreeStage[foldCount];
            for (var k = 0; k < foldCount; k++)
            {
                folds[k] = FastTreeStage.Read(reader);
            }

            return new StackedCombiner(members, folds, stats);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"the second stage's section is cut short or malformed ({e.Message})", e);
        }
    }

    private void Combine(ReadOnlySpan<double> memberScores, int memberCount, Span<double> scores, int heldOutFold)
    {
        if (memberCount != Members.MemberCount)
        {
            throw new ArgumentException($"expected {Members.MemberCount} members, got {memberCount}", nameof(memberCount));
        }

        Span<float> features = stackalloc float[FeatureCount(Members)];
        Features(Members, memberScores, features, scores);
        for (var l = 0; l < scores.Length; l++)
        {
            if (UsesStage[l])
            {
                var stats = _stats[l];
                var stage = StageScore(features, l, heldOutFold);
                scores[l] = (((scores[l] - stats.MembersMean) / stats.MembersDeviation) + ((stage - stats.StageMean) / stats.StageDeviation)) / 2;
            }
        }
    }

    private double StageScore(ReadOnlySpan<double> memberScores, int label, int heldOutFold)
    {
        Span<float> features = stackalloc float[FeatureCount(Members)];
        Span<double> membersScores = stackalloc double[Members.LabelCount];
        Features(Members, memberScores, features, membersScores);
        return StageScore(features, label, heldOutFold);
    }

    private double StageScore(ReadOnlySpan<float> features, int label, int heldOutFold)
    {
        if (heldOutFold >= 0)
        {
            return Folds[heldOutFold].Score(label, features);
        }

        double sum = 0;
        foreach (var fold in Folds)
        {
            sum += fold.Score(label, features);
        }

        return sum / Folds.Count;
    }

    /// <summary>The validation mean and deviation of the members' average and of the stage's score, for one label.</summary>
    public readonly record struct LabelStats(double MembersMean, double MembersDeviation, double StageMean, double StageDeviation)
    {
        public bool IsValid =>
            double.IsFinite(MembersMean) && double.IsFinite(StageMean) && MembersDeviation > 0 && StageDeviation > 0
            && double.IsFinite(MembersDeviation) && double.IsFinite(StageDeviation);
    }
}
