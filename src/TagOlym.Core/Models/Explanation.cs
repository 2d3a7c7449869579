namespace TagOlym.Core.Models;

/// <summary>One n-gram's part in a linear member's margin: its TF-IDF value in the post times the label's weight.</summary>
public sealed record TermContribution(
    string Term,
    double TfIdf,
    double Weight,
    double Contribution);

/// <summary>
/// How one member scored one label. For a linear member, <c>Intercept + Σ TopTerms.Contribution + OtherTerms = Margin</c>
/// and <c>Score</c> is the loss's mapping of the margin; other members give their score only.
/// </summary>
/// <param name="OtherTerms">The summed contributions of the post's n-grams beyond the top ones.</param>
public sealed record MemberExplanation(
    string Kind,
    double Score,
    double? Margin = null,
    double? Intercept = null,
    IReadOnlyList<TermContribution>? TopTerms = null,
    double? OtherTerms = null);

/// <summary>Why one label got its score for one post: each member's part, and how the combiner made the final score of them.</summary>
public sealed record LabelExplanation(
    string Label,
    double Score,
    double Threshold,
    bool Suggested,
    string Combiner,
    IReadOnlyList<MemberExplanation> Members);
