namespace TagOlym.Core.Evaluation;

/// <summary>
/// The keywords of the anchor's <c>without_frequent_words</c> slice: take the 20 most frequent words of the
/// preprocessed posts, then keep those longer than 3 characters. The filter comes after the cut, so there are usually
/// fewer than 20 keywords (short words such as digits and <c>x</c> take places in the top 20 and are then dropped).
/// </summary>
public static class FrequentWords
{
    /// <summary>How many of the most frequent words the anchor looks at.</summary>
    public const int Top = 20;

    /// <summary>Words must be longer than this many characters (the anchor's <c>len(word) &gt; 3</c>, counted in code points as Python does).</summary>
    public const int LongerThan = 3;

    /// <summary>The anchor's keywords over a corpus of preprocessed posts, counted in one streaming pass.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> preprocessedTexts, int top = Top, int longerThan = LongerThan) =>
        Of(TokenCounts.Of(preprocessedTexts), top, longerThan);

    /// <summary>The anchor's keywords from counts already made.</summary>
    public static IReadOnlyList<string> Of(TokenCounts counts, int top = Top, int longerThan = LongerThan)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return [.. counts.MostCommon(top).Select(e => e.Key).Where(w => w.EnumerateRunes().Count() > longerThan)];
    }
}
