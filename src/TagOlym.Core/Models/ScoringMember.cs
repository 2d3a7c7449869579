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
    /// <summary>The member's kind, as written in the model file.</summary>
    public abstract string Kind { get; }

    /// <summary>The member's name, as the args file's <c>members</c> list says it and the manifest and explanations show it.</summary>
    public virtual string Name => Kind;

    public abstract int LabelCount { get; }

    /// <summary>Writes each label's score for <paramref name="features"/> into <paramref name="scores"/>.</summary>
    public abstract void Score(SparseRow features, Span<double> scores);

    /// <summary>
    /// How this member came to <paramref name="score"/> (its score for <paramref name="label"/>, from <see cref="Score"/>):
    /// by default the score alone; members whose scores decompose say more.
    /// </summary>
    /// <param name="featureName">The n-gram of a feature column, for the terms named.</param>
    public virtual MemberExplanation Explain(SparseRow features, int label, double score, Func<int, string> featureName, int top) => new(Name, score);
}

/// <summary>
/// A linear classifier per label (the anchor's SGD, or the NB-weighted logistic regression). Alone in a model its
/// score is the loss's mapping of the margin, as the anchor's; in an ensemble it is the margin itself, which the
/// combiner standardizes (a probability squeezed against 0 or 1 would lose the order the margin keeps).
/// </summary>
/// <param name="name">Which learner fitted it, as the args file's <c>members</c> list names it.</param>
/// <param name="scoresMargins">Whether the score is the margin rather than the loss's mapping of it.</param>
public sealed class LinearMember(LinearModel classifier, string name = LinearMember.SgdName, bool scoresMargins = false) : ScoringMember
{
    public const string KindName = "linear";
    public const string SgdName = "sgd";

    public LinearModel Classifier { get; } = classifier ?? throw new ArgumentNullException(nameof(classifier));

    public bool ScoresMargins { get; } = scoresMargins;

    public override string Kind => KindName;

    public override string Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

    public override int LabelCount => Classifier.LabelCount;

    public override void Score(SparseRow features, Span<double> scores)
    {
        if (ScoresMargins)
        {
            Classifier.Margins(features, scores);
        }
        else
        {
            Classifier.Scores(features, scores);
        }
    }

    /// <summary>The label's margin as its terms (see <see cref="Terms"/>).</summary>
    public override MemberExplanation Explain(SparseRow features, int label, double score, Func<int, string> featureName, int top) =>
        Terms(Name, Classifier, label, features, score, featureName, top);

    /// <summary>
    /// The margin of <paramref name="classifier"/>'s classifier <paramref name="column"/> as intercept + Σ weight × TF-IDF
    /// value over the post's n-grams (added in the order <see cref="LinearModel.Margins"/> adds them, so it is the same
    /// number), with the <paramref name="top"/> largest contributions by size named and the rest summed.
    /// </summary>
    internal static MemberExplanation Terms(string name, LinearModel classifier, int column, SparseRow features, double score, Func<int, string> featureName, int top)
    {
        ArgumentNullException.ThrowIfNull(featureName);
        var intercept = classifier.Intercept(column);
        var margin = intercept;
        var terms = new List<(int Feature, double Value, double Weight, double Contribution)>();
        for (var k = 0; k < features.Count; k++)
        {
            var weight = classifier.Weight(features.Indices[k], column);
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
        return new MemberExplanation(name, score, margin, intercept, named, others);
    }
}
