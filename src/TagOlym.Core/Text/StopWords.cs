using System.Collections.Frozen;

namespace TagOlym.Core.Text;

/// <summary>
/// The word lists of the preprocessor: NLTK's English stop words (the 179 words of NLTK 3.8's
/// <c>stopwords.words("english")</c>, in NLTK's order) and the anchor's command words.
/// </summary>
public static class StopWords
{
    private static readonly string[] EnglishWords =
    [
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "you're", "you've", "you'll", "you'd",
        "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "she's", "her", "hers",
        "herself", "it", "it's", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
        "who", "whom", "this", "that", "that'll", "these", "those", "am", "is", "are", "was", "were", "be", "been",
        "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if",
        "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about", "against", "between",
        "into", "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out",
        "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
        "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not",
        "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "don't",
        "should", "should've", "now", "d", "ll", "m", "o", "re", "ve", "y", "ain", "aren", "aren't", "couldn",
        "couldn't", "didn", "didn't", "doesn", "doesn't", "hadn", "hadn't", "hasn", "hasn't", "haven", "haven't",
        "isn", "isn't", "ma", "mightn", "mightn't", "mustn", "mustn't", "needn", "needn't", "shan", "shan't",
        "shouldn", "shouldn't", "wasn", "wasn't", "weren", "weren't", "won", "won't", "wouldn", "wouldn't",
    ];

    private static readonly string[] CommandWords = ["prove", "let", "find", "show", "given"];

    private static readonly FrozenSet<string> EnglishSet = EnglishWords.ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> EnglishLookup =
        EnglishSet.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string> CommandSet = CommandWords.ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CommandLookup =
        CommandSet.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>NLTK's English stop words, in NLTK's order (179 words, lowercase, some with an apostrophe).</summary>
    public static IReadOnlyList<string> English { get; } = Array.AsReadOnly(EnglishWords);

    /// <summary>The anchor's command words: <c>prove let find show given</c>.</summary>
    public static IReadOnlyList<string> Commands { get; } = Array.AsReadOnly(CommandWords);

    /// <summary>The longest stop word has this many characters; longer words need no lookup.</summary>
    internal const int MaxEnglishLength = 10;

    /// <summary>Whether <paramref name="word"/> is exactly (ordinal, case-sensitive) one of NLTK's English stop words.</summary>
    public static bool IsStopWord(ReadOnlySpan<char> word) =>
        word.Length <= MaxEnglishLength && word.Length > 0 && EnglishLookup.Contains(word);

    /// <summary>Whether <paramref name="word"/> is exactly one of the command words.</summary>
    public static bool IsCommand(ReadOnlySpan<char> word) =>
        word.Length is >= 3 and <= 5 && CommandLookup.Contains(word);
}
