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

    /// <summary>
    /// How this member came to <paramref name="score"/> (its score for <paramref name="label"/>, from <see cref="Score"/>):
    /// by default the score alone; members whose scores decompose say more.
    /// </summary>
    /// <param name="featureName">The n-gram of a feature column, for the terms named.</param>
    public virtual MemberExplanation Explain(SparseRow features, int label, double score, Func<int, string> featureName, int top) => new(Kind, score);
}

/// <summary>A linear classifier per label (the anchor's SGD): the score is the loss's mapping of the margin.</summary>
public sealed class LinearMember(LinearModel classifier) : ScoringMember
{
    public const string KindName = "linear";

    public LinearModel Classifier { get; } = classifier ?? throw new ArgumentNullException(nameof(classifier));

    public override string Kind => KindName;

    public override int LabelCount => Classifier.LabelCount;

    public override void Score(SparseRow features, Span<double> scores) => Classifier.Scores(features, scores);

    /// <summary>
    /// The margin as intercept + Σ weight × TF-IDF value over the post's n-grams (added in the order
    /// <see cref="LinearModel.Margins"/> adds them, so it is the same number), with the <paramref name="top"/> largest
    /// contributions by size named and the rest summed.
    /// </summary>
    public override MemberExplanation Explain(SparseRow features, int label, double score, Func<int, string> featureName, int top)
    {
        ArgumentNullException.ThrowIfNull(featureName);
        var intercept = Classifier.Intercept(label);
        var margin = intercept;
        var terms = new List<(int Feature, double Value, double Weight, double Contribution)>();
        for (var k = 0; k < features.Count; k++)
        {
            var weight = Classifier.Weight(features.Indices[k], label);
            if (weight == 0)
            {
                continue;
            }

            double value = features.Values[k];
            var contribution = weight * value;
            margin += contribution;
            terms.Add((features.Indices[k], value, weight, contribution));
        }

        terms.Sort((a, b) => Math.Abs(b.Contribution).CompareTo(Math.Abs(a.Contribution)));
        var named = terms.Take(top).Select(t => new TermContribution(featureName(t.Feature), t.Value, t.Weight, t.Contribution)).ToArray();
        var others = terms.Skip(top).Sum(t => t.Contribution);
        return new MemberExplanation(Kind, score, margin, intercept, named, others);
    }
}
