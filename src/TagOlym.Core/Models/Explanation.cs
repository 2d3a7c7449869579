using System.Text.Json.Serialization;

namespace TagOlym.Core.Models;

/// <summary>One n-gram's part in a linear member's margin: its TF-IDF value in the post times the label's weight.</summary>
public sealed record TermContribution(
    [property: JsonPropertyName("term")] string Term,
    [property: JsonPropertyName("tfidf")] double TfIdf,
    [property: JsonPropertyName("weight")] double Weight,
    [property: JsonPropertyName("contribution")] double Contribution);

/// <summary>
/// How one member scored one label. For a linear member, <c>Intercept + Σ TopTerms.Contribution + OtherTerms = Margin</c>
/// and <c>Score</c> is the loss's mapping of the margin; other members give their score only.
/// </summary>
/// <param name="OtherTerms">The summed contributions of the post's n-grams beyond the top ones.</param>
public sealed record MemberExplanation(
    [property: JsonPropertyName("member")] string Kind,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("margin")] double? Margin = null,
    [property: JsonPropertyName("intercept")] double? Intercept = null,
    [property: JsonPropertyName("top_terms")] IReadOnlyList<TermContribution>? TopTerms = null,
    [property: JsonPropertyName("other_terms")] double? OtherTerms = null);

/// <summary>Why one label got its score for one post: each member's part, and how the combiner made the final score of them.</summary>
public sealed record LabelExplanation(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("suggested")] bool Suggested,
    [property: JsonPropertyName("combiner")] string Combiner,
    [property: JsonPropertyName("members")] IReadOnlyList<MemberExplanation> Members);
