using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;

namespace TagOlym.Core.Training;

/// <summary>
/// Step 6 of the flow: fits the scoring members the arguments name on the training rows, each one binary
/// classifier per label with the labels trained in parallel: the anchor's SGD (<see cref="OneVsRestSgd"/>) and,
/// in an ensemble, the NB-weighted logistic regression (<see cref="NbLogisticRegression"/>).
/// </summary>
public static class LearnStage
{
    public const string NbName = "nb";

    /// <param name="tags">The rows' raw tags, for the <c>subtag</c> member (else may be null).</param>
    public static IReadOnlyList<ScoringMember> Run(
        SparseRow[] rows,
        LabelMatrix truth,
        IReadOnlyList<string[]>? tags,
        int featureCount,
        TrainingArgs args,
        Taxonomy taxonomy,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(taxonomy);
        var labels = taxonomy.Labels;

        // alone, a member's scores are the model's (the anchor's probabilities for log loss); combined, margins
        var margins = args.Combines;
        var members = new List<ScoringMember>();
        if (args.Members.HasFlag(EnsembleMembers.Sgd))
        {
            var sgdProgress = progress is null ? null : new LabelProgress(progress, labels);
            var classifier = OneVsRestSgd.Fit(rows, truth, featureCount, args.Sgd, sgdProgress, cancellationToken: cancellationToken);
            members.Add(new LinearMember(classifier, LinearMember.SgdName, margins));
        }

        if (args.Members.HasFlag(EnsembleMembers.NbLogistic))
        {
            progress?.Report(new TrainingProgress($"learn:{NbName}", 0));
            var classifier = NbLogisticRegression.Fit(rows, truth, featureCount, args.Nb with { Seed = args.Sgd.Seed }, cancellationToken: cancellationToken);
            members.Add(new LinearMember(classifier, NbName, margins));
            progress?.Report(new TrainingProgress($"learn:{NbName}", 1));
        }

        if (args.Members.HasFlag(EnsembleMembers.Subtag))
        {
            progress?.Report(new TrainingProgress($"learn:{SubtagMember.KindName}", 0));
            var classes = SubtagClasses.Build(tags ?? throw new ArgumentNullException(nameof(tags), "the subtag member needs the posts' raw tags"), truth, taxonomy, args.SubtagMinPosts);
            var classifier = OneVsRestSgd.Fit(rows, classes.Truth, featureCount, args.Sgd, cancellationToken: cancellationToken);
            members.Add(new SubtagMember(classifier.KeepStrongest(args.SubtagMaxFeatures), classes.ClassLabels, classes.ClassNames, labels.Count));
            progress?.Report(new TrainingProgress($"learn:{SubtagMember.KindName}", 1, $"{classes.ClassNames.Length} classes"));
        }

        return members;
    }

    /// <summary>
    /// Member scores (member-major, see <see cref="PostScorer.ScoreMembers"/>) of training rows from members fitted
    /// without them: the rows are cut into <see cref="FastTreeStageOptions.Folds"/> seeded folds, and for each of the
    /// first <see cref="FastTreeStageOptions.FoldsToScore"/> the members are fitted on all other folds and score it.
    /// A second stage learns from these, not from the scores of members that saw the row (which would teach it to
    /// trust them more than they deserve on new posts).
    /// </summary>
    public static OutOfFoldScores OutOfFold(
        SparseRow[] rows,
        LabelMatrix truth,
        IReadOnlyList<string[]>? tags,
        int featureCount,
        TrainingArgs args,
        Taxonomy taxonomy,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(args);
        var folds = KFold.Assign(rows.Length, args.Stage.Folds, args.Sgd.Seed);
        var scored = args.Stage.FoldsToScore;
        var scoredRows = Enumerable.Range(0, rows.Length).Where(r => folds[r] < scored).ToArray();
        var scores = new double[scoredRows.Length][];
        for (var k = 0; k < scored; k++)
        {
            progress?.Report(new TrainingProgress("out-of-fold", (double)k / scored, $"fold {k + 1} of {scored}"));
            var inFold = Enumerable.Range(0, rows.Length).Where(r => folds[r] != k).ToArray();
            var members = Run(
                [.. inFold.Select(r => rows[r])], truth.SelectRows(inFold), tags is null ? null : [.. inFold.Select(r => tags[r])], featureCount, args, taxonomy, cancellationToken: cancellationToken);
            Parallel.For(0, scoredRows.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var r = scoredRows[i];
                if (folds[r] == k)
                {
                    scores[i] = new double[members.Count * taxonomy.Labels.Count];
                    PostScorer.ScoreMembers(members, rows[r], scores[i]);
                }
            });
        }

        progress?.Report(new TrainingProgress("out-of-fold", 1));
        return new OutOfFoldScores(scoredRows, scores);
    }

    /// <summary>Turns the learner's per-label epochs into the flow's progress.</summary>
    private sealed class LabelProgress(IProgress<TrainingProgress> inner, LabelIndex labels) : IProgress<SgdProgress>
    {
        public void Report(SgdProgress value) => inner.Report(new TrainingProgress(
            $"learn:{labels.Names[value.Label]}",
            value.Finished ? 1 : 0,
            value.Finished ? $"stopped after {value.Epoch} epochs" : $"epoch {value.Epoch}"));
    }
}

/// <summary>Out-of-fold member scores of some training rows (see <see cref="LearnStage.OutOfFold"/>).</summary>
/// <param name="Rows">The training rows scored, ascending.</param>
/// <param name="Scores">Their member scores, in the same order.</param>
public sealed record OutOfFoldScores(int[] Rows, double[][] Scores);
