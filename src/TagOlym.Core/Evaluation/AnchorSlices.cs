using TagOlym.Core.Labels;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// The anchor's eight slices, defined on label names through a <see cref="LabelIndex"/> so they follow whatever
/// taxonomy is in use:
/// <list type="bullet">
/// <item><c>short_post</c>: fewer than 5 whitespace-separated words in the preprocessed post;</item>
/// <item>six <c>X_not_Y</c> slices: the post's TRUE labels contain X but not Y (the anchor reads its <c>tags</c>
/// column, the ground truth, not the predictions);</item>
/// <item><c>without_frequent_words</c>: none of the post's words is one of the given keywords (see
/// <see cref="FrequentWords"/>).</item>
/// </list>
/// A taxonomy that lacks X or Y has no <c>X_not_Y</c> slice at all: the slice is about a sub-topic whose parent was
/// not tagged, which means nothing without both labels. Slices that no post falls into are left out of the report,
/// as the anchor does.
/// </summary>
public static class AnchorSlices
{
    public const string ShortPostName = "short_post";

    public const string WithoutFrequentWordsName = "without_frequent_words";

    /// <summary>A post is short below this many words.</summary>
    public const int ShortPostWords = 5;

    /// <summary>The anchor's six (label, missing parent) pairs, in its order.</summary>
    public static IReadOnlyList<(string Label, string Without)> LabelWithoutPairs { get; } =
    [
        ("inequality", "algebra"),
        ("function", "algebra"),
        ("polynomial", "algebra"),
        ("circle", "geometry"),
        ("trigonometry", "geometry"),
        ("modular arithmetic", "number theory"),
    ];

    /// <summary>
    /// The anchor's slices in its order, those that the taxonomy allows: <c>short_post</c>, the <c>X_not_Y</c>
    /// slices whose two labels both exist, and <c>without_frequent_words</c> over <paramref name="frequentWords"/>.
    /// </summary>
    public static IReadOnlyList<PostSlice> For(LabelIndex labels, IEnumerable<string> frequentWords)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(frequentWords);
        var slices = new List<PostSlice> { ShortPost() };
        foreach (var (label, without) in LabelWithoutPairs)
        {
            if (LabelWithout(labels, label, without) is { } slice)
            {
                slices.Add(slice);
            }
        }

        slices.Add(WithoutWords(frequentWords));
        return slices;
    }

    /// <summary>Posts with fewer than <paramref name="words"/> whitespace-separated words.</summary>
    public static PostSlice ShortPost(int words = ShortPostWords) =>
        new(ShortPostName, (_, text) => WhitespaceTokens.Count(text) < words);

    /// <summary>
    /// Posts whose true labels hold <paramref name="label"/> but not <paramref name="without"/>, named
    /// <c>label_not_without</c> with spaces turned into underscores; <see langword="null"/> when either label is not in
    /// <paramref name="labels"/>.
    /// </summary>
    public static PostSlice? LabelWithout(LabelIndex labels, string label, string without)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(without);
        if (!TryIndexOf(labels, label, out var has) || !TryIndexOf(labels, without, out var lacks))
        {
            return null;
        }

        var name = $"{label.Replace(' ', '_')}_not_{without.Replace(' ', '_')}";
        return new PostSlice(name, (truth, _) => truth[has] && !truth[lacks]);
    }

    /// <summary>Posts none of whose words is in <paramref name="keywords"/> (every post, when there are no keywords).</summary>
    public static PostSlice WithoutWords(IEnumerable<string> keywords, string name = WithoutFrequentWordsName)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        var set = new HashSet<string>(keywords, StringComparer.Ordinal);
        var lookup = set.GetAlternateLookup<ReadOnlySpan<char>>();
        return new PostSlice(name, (_, text) =>
        {
            foreach (var word in new WhitespaceTokens(text))
            {
                if (lookup.Contains(word))
                {
                    return false;
                }
            }

            return true;
        });
    }

    private static bool TryIndexOf(LabelIndex labels, string label, out int index)
    {
        for (index = 0; index < labels.Count; index++)
        {
            if (string.Equals(labels.Names[index], label, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
