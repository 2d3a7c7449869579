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
/// <param name="Combination">How the members' scores were combined (null for a model of one member, whose score is the label's).</param>
/// <param name="Words">
/// The post's words (lowercase, as written in its text outside math) whose preprocessed token is a token of one of the
/// members' top n-grams with a positive contribution: what a reader can highlight to see what pushed the label up.
/// </param>
public sealed record LabelExplanation(
    string Label,
    double Score,
    double Threshold,
    bool Suggested,
    string Combiner,
    IReadOnlyList<MemberExplanation> Members,
    IReadOnlyList<string>? Words = null,
    CombinationExplanation? Combination = null)
{
    /// <summary>
    /// The words of <paramref name="wordTokens"/> (a post's words and their tokens, see
    /// <see cref="Text.PostPreprocessor.WordTokens"/>) whose token is in a top n-gram that raised the margin, in the order they first appear in the post.
    /// </summary>
    public static IReadOnlyList<string> ContributingWords(IEnumerable<MemberExplanation> members, IReadOnlyDictionary<string, string> wordTokens)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(wordTokens);
        var tokens = members
            .SelectMany(m => m.TopTerms ?? [])
            .Where(t => t.Contribution > 0)
            .SelectMany(t => t.Term.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        return [.. wordTokens.Where(w => tokens.Contains(w.Value)).Select(w => w.Key)];
    }
}
