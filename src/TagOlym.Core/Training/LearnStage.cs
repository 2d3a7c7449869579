using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;

namespace TagOlym.Core.Training;

/// <summary>
/// Step 6 of the flow: fits the scoring members on the training rows, each one binary classifier per label with
/// the labels trained in parallel: today the anchor's SGD (<see cref="OneVsRestSgd"/>).
/// </summary>
public static class LearnStage
{
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
        var sgdProgress = progress is null ? null : new LabelProgress(progress, labels);
        var classifier = OneVsRestSgd.Fit(rows, truth, featureCount, args.Sgd, sgdProgress, cancellationToken: cancellationToken);
        return [new LinearMember(classifier)];
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
