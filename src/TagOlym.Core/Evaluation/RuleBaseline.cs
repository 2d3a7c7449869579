using TagOlym.Core.Labels;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// The obvious rule a model must beat: tag a post with a label when the label's name is written in it. A label name is
/// split into words as the preprocessor would (lowercased, runs of characters other than <c>[a-z0-9]</c> dropped), and
/// those words must appear consecutively in the preprocessed post (<c>number theory</c> needs <c>number</c> then
/// <c>theory</c>; <c>Counting &amp; Probability</c> needs <c>counting probability</c>). When a stemmer is given, the
/// label's stemmed words match too, so posts preprocessed with <c>stem</c> (where <c>geometry</c> became
/// <c>geometri</c>) are served: give it the stemmer the preprocessor used. Plurals and other forms of a label word
/// match only through the stemmer.
/// </summary>
public sealed class RuleBaseline
{
    private readonly string[][][] _phrases;

    /// <param name="labels">The labels to predict, in column order.</param>
    /// <param name="stem">Maps a word to its stem (the preprocessor's Porter stemmer); <see langword="null"/> to match names only.</param>
    public RuleBaseline(LabelIndex labels, Func<string, string>? stem = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Labels = labels;
        _phrases = new string[labels.Count][][];
        for (var j = 0; j < labels.Count; j++)
        {
            var words = LabelWords(labels.Names[j]);
            var phrases = new List<string[]>();
            if (words.Length > 0)
            {
                phrases.Add(words);
                if (stem is not null)
                {
                    var stemmed = words.Select(stem).ToArray();
                    if (!stemmed.SequenceEqual(words, StringComparer.Ordinal))
                    {
                        phrases.Add(stemmed);
                    }
                }
            }

            _phrases[j] = [.. phrases];
        }
    }

    public LabelIndex Labels { get; }

    /// <summary>The word sequences that trigger label <paramref name="label"/> (column index).</summary>
    public IReadOnlyList<IReadOnlyList<string>> PhrasesOf(int label) => _phrases[label];

    /// <summary>One row per preprocessed post.</summary>
    public LabelMatrix Predict(IReadOnlyList<string> preprocessedTexts)
    {
        ArgumentNullException.ThrowIfNull(preprocessedTexts);
        var predicted = new LabelMatrix(preprocessedTexts.Count, Labels.Count);
        for (var i = 0; i < preprocessedTexts.Count; i++)
        {
            PredictInto(preprocessedTexts[i], predicted.Row(i));
        }

        return predicted;
    }

    /// <summary>Sets, in <paramref name="row"/>, the labels whose name (or stem) the post contains; clears the others.</summary>
    public void PredictInto(string preprocessedText, Span<bool> row)
    {
        ArgumentNullException.ThrowIfNull(preprocessedText);
        if (row.Length != Labels.Count)
        {
            throw new ArgumentException($"the row must have {Labels.Count} labels", nameof(row));
        }

        var words = new List<string>();
        foreach (var word in new WhitespaceTokens(preprocessedText))
        {
            words.Add(word.ToString());
        }

        for (var j = 0; j < row.Length; j++)
        {
            row[j] = false;
            foreach (var phrase in _phrases[j])
            {
                if (ContainsRun(words, phrase))
                {
                    row[j] = true;
                    break;
                }
            }
        }
    }

    private static string[] LabelWords(string name)
    {
        var words = new List<string>();
        var start = -1;
        var lower = name.ToLowerInvariant();
        for (var i = 0; i <= lower.Length; i++)
        {
            var alphanumeric = i < lower.Length && lower[i] is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (alphanumeric && start < 0)
            {
                start = i;
            }
            else if (!alphanumeric && start >= 0)
            {
                words.Add(lower[start..i]);
                start = -1;
            }
        }

        return [.. words];
    }

    private static bool ContainsRun(List<string> words, string[] phrase)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(words);
        for (var start = 0; start + phrase.Length <= span.Length; start++)
        {
            if (span.Slice(start, phrase.Length).SequenceEqual(phrase))
            {
                return true;
            }
        }

        return false;
    }
}
