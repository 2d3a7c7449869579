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

    public static IReadOnlyList<ScoringMember> Run(
        SparseRow[] rows,
        LabelMatrix truth,
        int featureCount,
        TrainingArgs args,
        LabelIndex labels,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(labels);

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

        return members;
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
