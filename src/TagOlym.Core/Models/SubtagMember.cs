using TagOlym.Core.Features;
using TagOlym.Core.Learning;

namespace TagOlym.Core.Models;

/// <summary>
/// A member that scores a label as the best of its sub-tag classes: one linear classifier per class, where a class
/// is a frequent raw tag that gives the label (e.g. "euclidean geometry" for geometry) or the label's residual class
/// (its posts with none of those tags). A broad label is many topics; each class learns one of them.
/// </summary>
/// <param name="classLabels">Per class, the label it scores.</param>
/// <param name="classNames">Per class, its raw tag (or "other" for the residual class).</param>
public sealed class SubtagMember(LinearModel classifier, int[] classLabels, string[] classNames, int labelCount) : ScoringMember
{
    public const string KindName = "subtag";

    public LinearModel Classifier { get; } = classifier;

    public IReadOnlyList<int> ClassLabels { get; } = classLabels;

    public IReadOnlyList<string> ClassNames { get; } = classNames;

    public override string Kind => KindName;

    public override int LabelCount { get; } = labelCount;

    public override void Score(SparseRow features, Span<double> scores)
    {
        Span<double> margins = Classifier.LabelCount <= 512 ? stackalloc double[Classifier.LabelCount] : new double[Classifier.LabelCount];
        Classifier.Margins(features, margins);
        scores.Fill(double.NegativeInfinity);
        for (var c = 0; c < margins.Length; c++)
        {
            var l = ClassLabels[c];
            scores[l] = Math.Max(scores[l], margins[c]);
        }
    }

    /// <summary>The terms of the label's best class (the one whose margin is the score), named after its tag.</summary>
    public override MemberExplanation Explain(SparseRow features, int label, double score, Func<int, string> featureName, int top)
    {
        Span<double> margins = Classifier.LabelCount <= 512 ? stackalloc double[Classifier.LabelCount] : new double[Classifier.LabelCount];
        Classifier.Margins(features, margins);
        var best = -1;
        for (var c = 0; c < margins.Length; c++)
        {
            if (ClassLabels[c] == label && (best < 0 || margins[c] > margins[best]))
            {
                best = c;
            }
        }

        return LinearMember.Terms($"{Name} ({ClassNames[best]})", Classifier, best, features, score, featureName, top);
    }
}
