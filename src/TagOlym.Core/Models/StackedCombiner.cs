using TagOlym.Core.Learning;

namespace TagOlym.Core.Models;

/// <summary>
/// The z-scored average of the members (<see cref="ZScoreCombiner"/>) with a second stage on top: per label, an
/// ML.NET FastTree model over the post's stage features (<see cref="Features"/>: every member's standardized score
/// of every label, so a label can learn from the others', and the members' average) whose log-odds, standardized,
/// is averaged with the members' standardized average. The stage was fitted on out-of-fold member scores of the
/// training posts (see <see cref="Training.CalibrateStage"/>) and is used only for the labels where it won on
/// validation; the others keep the members' average. Immutable and safe to use from many threads at once
/// (scoring walks flat tree arrays and allocates nothing).
/// </summary>
public sealed class StackedCombiner : ScoreCombiner
{
    public const string KindName = "zscore+fasttree";

    private readonly LabelStats[] _stats;

    /// <param name="stats">Per label: null where the stage is not used, else the validation mean and deviation of
    /// the members' average and of the stage's score.</param>
    public StackedCombiner(ZScoreCombiner members, FastTreeStage stage, IReadOnlyList<LabelStats?> stats)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(stats);
        var featureCount = FeatureCount(members);
        if (stats.Count != members.LabelCount || stage.LabelCount != members.LabelCount || stage.FeatureCount != featureCount)
        {
            throw new ArgumentException($"a stage needs {members.LabelCount} labels over {featureCount} features and statistics for each label");
        }

        for (var l = 0; l < stats.Count; l++)
        {
            if (stats[l] is { } s ? !s.IsValid || !stage.Covers(l) : stage.Covers(l))
            {
                throw new ArgumentException($"label {l}: the stage and the statistics disagree on whether the stage is used, or a deviation is not positive");
            }
        }

        Members = members;
        Stage = stage;
        _stats = [.. stats.Select(s => s ?? default)];
        UsesStage = [.. stats.Select(s => s is not null)];
    }

    public override string Kind => KindName;

    public ZScoreCombiner Members { get; }

    /// <summary>The second stage: one FastTree per label that uses it.</summary>
    public FastTreeStage Stage { get; }

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

    public override void Combine(ReadOnlySpan<double> memberScores, int memberCount, Span<double> scores)
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
                scores[l] = Mix(_stats[l], scores[l], Stage.Score(l, features));
            }
        }
    }

    /// <summary>The members' average and the stage's score of a label, each standardized, averaged.</summary>
    public static double Mix(LabelStats stats, double membersScore, double stageScore) =>
        (stats.StandardMembers(membersScore) + stats.StandardStage(stageScore)) / 2;

    public override CombinationExplanation Explain(ReadOnlySpan<double> memberScores, int memberCount, int label)
    {
        var members = Members.Explain(memberScores, memberCount, label);
        if (!UsesStage[label])
        {
            return members with { Kind = Kind };
        }

        var stats = _stats[label];
        Span<float> features = stackalloc float[FeatureCount(Members)];
        Span<double> averages = stackalloc double[Members.LabelCount];
        Features(Members, memberScores, features, averages);
        var stage = Stage.Score(label, features);
        return members with
        {
            Kind = Kind,
            MembersStandardScore = stats.StandardMembers(members.MembersScore),
            StageScore = stage,
            StageStandardScore = stats.StandardStage(stage),
        };
    }

    /// <summary>
    /// The combiner as a model-file section: the members' combiner, per label a flag and (when set) its four
    /// statistics, then the stage (ML.NET's own model bytes, see <see cref="FastTreeStage.Write"/>).
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

        Stage.Write(writer);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; a cut-short section or a stage ML.NET cannot read is an
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

            return new StackedCombiner(members, FastTreeStage.Read(reader), stats);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"the second stage's section is cut short or malformed ({e.Message})", e);
        }
    }

    /// <summary>The validation mean and deviation of the members' average and of the stage's score, for one label.</summary>
    public readonly record struct LabelStats(double MembersMean, double MembersDeviation, double StageMean, double StageDeviation)
    {
        public double StandardMembers(double membersScore) => (membersScore - MembersMean) / MembersDeviation;

        public double StandardStage(double stageScore) => (stageScore - StageMean) / StageDeviation;

        public bool IsValid =>
            double.IsFinite(MembersMean) && double.IsFinite(StageMean) && MembersDeviation > 0 && StageDeviation > 0
            && double.IsFinite(MembersDeviation) && double.IsFinite(StageDeviation);
    }
}
