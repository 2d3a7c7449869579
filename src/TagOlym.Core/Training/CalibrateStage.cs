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
/// <item>With a second stage (<see cref="StackedCombiner"/>): the validation posts are cut into folds; for each, a
/// FastTree per label is fitted on the other folds' stage features and scores this fold, so every validation post
/// has a stage score from a model that never saw it. Per label, the stage is kept where averaging it in beats the
/// members alone on those scores, and the thresholds are tuned on them. Served, the stage is the mean of the fold
/// models. The members are not trained again (out-of-fold scores on the training posts would cost the members'
/// training five times over).</item>
/// </list>
/// </summary>
public static class CalibrateStage
{
    public static Calibration Run(
        FeaturizedPosts features,
        IReadOnlyList<ScoringMember> members,
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
        double[][]? heldOutValidation = null;
        if (args.Combines)
        {
            var validationRows = features.Vectorizer.TransformAll(posts.Validation.Texts, posts.Validation.Titles);
            var memberScores = MemberScores(members, validationRows);
            var zscore = ZScoreCombiner.Fit([.. Enumerable.Range(0, members.Count).Select(m => PerMember(memberScores, m, members[0].LabelCount))]);
            combiner = zscore;
            if (args.UseStage)
            {
                progress?.Report(new TrainingProgress("stage", 0));
                (combiner, heldOutValidation) = FitStage(zscore, memberScores, posts.Validation.Labels, args.Stage with { Seed = args.Sgd.Seed }, args, cancellationToken);
                progress?.Report(new TrainingProgress("stage", 1));
            }
        }

        var scorer = new PostScorer(args.Preprocess, features.Vectorizer, members, combiner);
        var scores = new Splits<double[][]>(
            scorer.ScoreFeatures(features.TrainRows),
            heldOutValidation ?? scorer.ScoreTexts(posts.Validation.Texts, posts.Validation.Titles),
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

    private static (ScoreCombiner Combiner, double[][]? HeldOut) FitStage(
        ZScoreCombiner zscore, double[][] memberScores, LabelMatrix truth, FastTreeStageOptions options, TrainingArgs args, CancellationToken cancellationToken)
    {
        var rows = memberScores.Length;
        var labels = zscore.LabelCount;
        var features = new float[rows][];
        var averages = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            features[r] = new float[StackedCombiner.FeatureCount(zscore)];
            averages[r] = new double[labels];
            StackedCombiner.Features(zscore, memberScores[r], features[r], averages[r]);
        }

        var folds = KFold.Assign(rows, options.Folds, options.Seed);
        var models = new FastTreeStage[options.Folds];
        var stageScores = new double[rows][];
        for (var k = 0; k < options.Folds; k++)
        {
            var inFold = Enumerable.Range(0, rows).Where(r => folds[r] != k).ToArray();
            models[k] = FastTreeStage.Train([.. inFold.Select(r => features[r])], truth.SelectRows(inFold), options, cancellationToken: cancellationToken);
            for (var r = 0; r < rows; r++)
            {
                if (folds[r] == k)
                {
                    stageScores[r] = [.. Enumerable.Range(0, labels).Select(l => models[k].Score(l, features[r]))];
                }
            }
        }

        // per label: keep the stage where averaging it in beats the members alone on the held-out scores
        var stats = new StackedCombiner.LabelStats?[labels];
        for (var l = 0; l < labels; l++)
        {
            var (average, labelTruth) = Column(averages, truth, l);
            var (stage, _) = Column(stageScores, truth, l);
            var candidate = new StackedCombiner.LabelStats(Mean(average), Deviation(average), Mean(stage), Deviation(stage));
            if (!candidate.IsValid)
            {
                continue;
            }

            var mixed = average.Select((a, r) => (((a - candidate.MembersMean) / candidate.MembersDeviation) + ((stage[r] - candidate.StageMean) / candidate.StageDeviation)) / 2).ToArray();
            if (BestF1(mixed, labelTruth, args) > BestF1(average, labelTruth, args))
            {
                stats[l] = candidate;
            }
        }

        if (stats.All(s => s is null))
        {
            return (zscore, null);
        }

        var keep = stats.Select(s => s is not null).ToArray();
        var stacked = new StackedCombiner(zscore, [.. models.Select(m => m.Restrict(keep))], stats);
        var heldOut = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            heldOut[r] = new double[labels];
            stacked.CombineHeldOut(memberScores[r], folds[r], heldOut[r]);
        }

        return (stacked, heldOut);
    }

    /// <summary>The F1 of one label's scores at the threshold <see cref="Thresholds"/> would choose for them.</summary>
    private static double BestF1(double[] scores, bool[] truth, TrainingArgs args)
    {
        var threshold = ThresholdTuner.Tune(scores, truth, SgdLoss.Hinge, args.Thresholds);
        int truePositives = 0, predicted = 0, actual = 0;
        for (var r = 0; r < scores.Length; r++)
        {
            var suggested = scores[r] > threshold;
            predicted += suggested ? 1 : 0;
            actual += truth[r] ? 1 : 0;
            truePositives += suggested && truth[r] ? 1 : 0;
        }

        return predicted + actual == 0 ? 0 : 2.0 * truePositives / (predicted + actual);
    }

    private static (double[] Scores, bool[] Truth) Column(double[][] scores, LabelMatrix truth, int label) =>
        ([.. scores.Select(s => s[label])], [.. Enumerable.Range(0, truth.Rows).Select(r => truth[r, label])]);

    private static double Mean(double[] values) => values.Average();

    private static double Deviation(double[] values)
    {
        var mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
