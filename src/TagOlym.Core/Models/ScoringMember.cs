using TagOlym.Core.Features;
using TagOlym.Core.Learning;

namespace TagOlym.Core.Models;

/// <summary>
/// One member of a fitted pipeline: scores every label of a post from its features. A model holds one or more
/// members and a <see cref="ScoreCombiner"/> that turns their scores into the label scores the thresholds judge.
/// Members are immutable and safe to share between threads.
/// </summary>
public abstract class ScoringMember
{
    /// <summary>The member's kind, as written in the model file and shown in the manifest.</summary>
    public abstract string Kind { get; }

    public abstract int LabelCount { get; }

    /// <summary>Writes each label's score for <paramref name="features"/> into <paramref name="scores"/>.</summary>
    public abstract void Score(SparseRow features, Span<double> scores);
}

/// <summary>A linear classifier per label (the anchor's SGD): the score is the loss's mapping of the margin.</summary>
public sealed class LinearMember(LinearModel classifier) : ScoringMember
{
    public const string KindName = "linear";

    public LinearModel Classifier { get; } = classifier ?? throw new ArgumentNullException(nameof(classifier));

    public override string Kind => KindName;

    public override int LabelCount => Classifier.LabelCount;

    public override void Score(SparseRow features, Span<double> scores) => Classifier.Scores(features, scores);
}
