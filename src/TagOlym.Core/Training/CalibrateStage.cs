using TagOlym.Core.Evaluation;
using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;

namespace TagOlym.Core.Training;

/// <summary>The fitted scorer, every part's scores, and the thresholds chosen on the validation scores.</summary>
public sealed record Calibration(PostScorer Scorer, Splits<double[][]> Scores, LabelThresholds Thresholds);

/// <summary>
/// Step 7 of the flow, combine and calibrate: puts the members behind their combiner into the fitted scorer, and
/// chooses one decision threshold per label on the validation posts' scores (<see cref="ThresholdTuner"/>).
/// <list type="bullet">
/// <item>One member: its scores are the model's.</item>
/// <item>Several: each member's scores are standardized with their validation mean and deviation and averaged
/// (<see cref="ZScoreCombiner"/>).</item>
/// <item>With a second stage (<see cref="StackedCombiner"/>): a FastTree per label learns from the training posts'
/// out-of-fold member scores (<see cref="LearnStage.OutOfFold"/>; standardized with their own statistics, as the
/// served members' scores are with theirs); per label, the stage is kept where averaging it in beats the members
/// alone on validation.</item>
/// </list>
/// The validation and test scores are the fitted scorer's, so thresholds are tuned on what is served.
/// </summary>
public static class CalibrateStage
{
    /// <param name="outOfFold">The training rows' out-of-fold member scores, for a second stage (else null).</param>
    public static Calibration Run(
        FeaturizedPosts features,
        IReadOnlyList<ScoringMember> members,
        OutOfFoldScores? outOfFold,
        Splits<PreparedPosts> posts,
        TrainingArgs args,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(posts);
        ArgumentNullException.ThrowIfNull(args);
        ScoreCombiner combiner = SingleMemberCombiner.Instance;
        double[][]? validationMemberScores = null;
        if (args.Combines)
        {
            var validationRows = features.Vectorizer.TransformAll(posts.Validation.Texts, posts.Validation.Titles);
            var memberScores = MemberScores(members, validationRows);
            validationMemberScores = memberScores;
            var zscore = ZScoreCombiner.Fit([.. Enumerable.Range(0, members.Count).Select(m => PerMember(memberScores, m, members[0].LabelCount))]);
            combiner = zscore;
            if (args.UseStage)
            {
                progress?.Report(new TrainingProgress("stage", 0));
                combiner = FitStage(zscore, memberScores, outOfFold ?? throw new ArgumentNullException(nameof(outOfFold), "a second stage needs out-of-fold scores"), posts, args, cancellationToken);
                progress?.Report(new TrainingProgress("stage", 1));
            }
        }

        var scorer = new PostScorer(args.Preprocess, features.Vectorizer, members, combiner);

        // validation's member scores, where already computed, are combined as the scorer would combine them
        var validationScores = validationMemberScores is null
            ? scorer.ScoreTexts(posts.Validation.Texts, posts.Validation.Titles)
            : [.. validationMemberScores.Select(memberScores =>
            {
                var combined = new double[scorer.LabelCount];
                combiner.Combine(memberScores, members.Count, combined);
                return combined;
            })];
        var scores = new Splits<double[][]>(
            scorer.ScoreFeatures(features.TrainRows),
            validationScores,
            scorer.ScoreTexts(posts.Test.Texts, posts.Test.Titles));
        return new Calibration(scorer, scores, new LabelThresholds(Thresholds(scores.Validation, posts.Validation.Labels, args)));
    }

    /// <summary>Per label, the threshold that maximizes F1 on the validation scores (see <see cref="ThresholdOptions"/>).</summary>
    public static double[] Thresholds(double[][] validationScores, LabelMatrix validationTruth, TrainingArgs args)
    {
        ArgumentNullException.ThrowIfNull(validationScores);
        ArgumentNullException.ThrowIfNull(validationTruth);
        ArgumentNullException.ThrowIfNull(args);
        var thresholds = new double[validationTruth.Labels];
        for (var l = 0; l < thresholds.Length; l++)
        {
            var (scores, truth) = Column(validationScores, validationTruth, l);
            thresholds[l] = ThresholdTuner.Tune(scores, truth, ScoreLoss(args), args.Thresholds);
        }

        return thresholds;
    }

    /// <summary>What the scores are: the one member's loss mapping, or (combined) unbounded standardized scores, as a margin is.</summary>
    private static SgdLoss ScoreLoss(TrainingArgs args) => args.Combines ? SgdLoss.Hinge : args.Sgd.Loss;

    /// <summary>Each row's member scores, member-major (see <see cref="PostScorer.ScoreMembers"/>), on all cores.</summary>
    private static double[][] MemberScores(IReadOnlyList<ScoringMember> members, SparseRow[] rows)
    {
        var scores = new double[rows.Length][];
        Parallel.For(0, rows.Length, r =>
        {
            scores[r] = new double[members.Count * members[0].LabelCount];
            PostScorer.ScoreMembers(members, rows[r], scores[r]);
        });
        return scores;
    }

    private static double[][] PerMember(double[][] memberScores, int member, int labels) =>
        [.. memberScores.Select(row => row.AsSpan(member * labels, labels).ToArray())];

    private static ScoreCombiner FitStage(
        ZScoreCombiner zscore, double[][] validationMemberScores, OutOfFoldScores outOfFold, Splits<PreparedPosts> posts, TrainingArgs args, CancellationToken cancellationToken)
    {
        var labels = zscore.LabelCount;
        var members = zscore.MemberCount;
        var outOfFoldCombiner = ZScoreCombiner.Fit([.. Enumerable.Range(0, members).Select(m => PerMember(outOfFold.Scores, m, labels))]);
        var stage = FastTreeStage.Train(
            [.. StageFeatures(outOfFoldCombiner, outOfFold.Scores).Features],
            posts.Train.Labels.SelectRows(outOfFold.Rows),
            args.Stage with { Seed = args.Sgd.Seed },
            cancellationToken: cancellationToken);

        // per label: keep the stage where averaging it in beats the members alone on validation; the two are
        // standardized with their validation statistics, as the combiner standardizes members
        var (features, averages) = StageFeatures(zscore, validationMemberScores);
        var stageScores = features.Select(f => Enumerable.Range(0, labels).Select(l => stage.Score(l, f)).ToArray()).ToArray();
        var standardizer = ZScoreCombiner.Fit([averages, stageScores]);
        var truth = posts.Validation.Labels;
        var stats = new StackedCombiner.LabelStats?[labels];
        for (var l = 0; l < labels; l++)
        {
            var (average, labelTruth) = Column(averages, truth, l);
            var (stageScore, _) = Column(stageScores, truth, l);
            var candidate = new StackedCombiner.LabelStats(
                standardizer.Means[l], standardizer.Deviations[l], standardizer.Means[labels + l], standardizer.Deviations[labels + l]);
            if (BestF1([.. average.Select((a, r) => StackedCombiner.Mix(candidate, a, stageScore[r]))], labelTruth, args) > BestF1(average, labelTruth, args))
            {
                stats[l] = candidate;
            }
        }

        return stats.All(s => s is null) ? zscore : new StackedCombiner(zscore, stage.Restrict([.. stats.Select(s => s is not null)]), stats);
    }

    /// <summary>Each row's stage features and members' average (see <see cref="StackedCombiner.Features"/>).</summary>
    private static (float[][] Features, double[][] Averages) StageFeatures(ZScoreCombiner combiner, double[][] memberScores)
    {
        var features = new float[memberScores.Length][];
        var averages = new double[memberScores.Length][];
        for (var r = 0; r < memberScores.Length; r++)
        {
            features[r] = new float[StackedCombiner.FeatureCount(combiner)];
            averages[r] = new double[combiner.LabelCount];
            StackedCombiner.Features(combiner, memberScores[r], features[r], averages[r]);
        }

        return (features, averages);
    }

    /// <summary>The F1 of one label's scores at the threshold <see cref="Thresholds"/> would choose for them.</summary>
    private static double BestF1(double[] scores, bool[] truth, TrainingArgs args) =>
        PrecisionRecallCurve.Of(scores, truth).At(ThresholdTuner.Tune(scores, truth, SgdLoss.Hinge, args.Thresholds)).F1;

    private static (double[] Scores, bool[] Truth) Column(double[][] scores, LabelMatrix truth, int label) =>
        ([.. scores.Select(s => s[label])], [.. Enumerable.Range(0, truth.Rows).Select(r => truth[r, label])]);
}
