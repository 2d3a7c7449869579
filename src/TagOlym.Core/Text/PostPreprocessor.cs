using System.Buffers;

namespace TagOlym.Core.Text;

/// <summary>
/// Turns a post written in Markdown + LaTeX (+ Asymptote) into the space-separated words the model
/// sees: the anchor's <c>preprocess_post</c>, step for step, without its backtracking regex.
/// </summary>
/// <remarks>
/// <para>The steps, each on the previous one's output:</para>
/// <list type="number">
/// <item>lowercase (Python's <c>str.lower()</c>, which matters only where it yields ASCII);</item>
/// <item>drop URLs (<c>http</c> and the non-whitespace run after it);</item>
/// <item><c>$$$</c> becomes <c>$$ $</c>; newlines become spaces;</item>
/// <item>each math region (<c>$..$</c>, <c>$$..$$</c>, <c>\(..\)</c>, <c>\[..\]</c>, <c>\begin..\end</c>) becomes
/// the LaTeX commands written in it, joined by spaces (see <see cref="MathScanner"/>);</item>
/// <item>drop <c>[asy]..[/asy]</c> figures;</item>
/// <item>split into whitespace-separated words (a backslash also starts a word) and drop NLTK's English stop words;</item>
/// <item>every run of characters other than <c>[A-Za-z0-9]</c> separates words;</item>
/// <item>optionally drop the command words, optionally Porter-stem each word.</item>
/// </list>
/// <para>Every step is a single forward pass (linear time on any input, including unbalanced
/// delimiters), works on pooled buffers, and allocates only the result string. Stateless and thread-safe.</para>
/// </remarks>
public static class PostPreprocessor
{
    /// <summary>The preprocessed post: lowercase ASCII letters and digits in words separated by single spaces.</summary>
    public static string Preprocess(string post, PreprocessOptions options)
    {
        ArgumentNullException.ThrowIfNull(post);
        return Preprocess(post.AsSpan(), options);
    }

    /// <summary>
    /// The preprocessed title of a post (<see cref="PostTitle.Of"/>), for models with a title block: the same steps,
    /// without the title repetition of <see cref="PreprocessOptions.TitleWeight"/> (a title is all title).
    /// </summary>
    public static string PreprocessTitle(ReadOnlySpan<char> post, PreprocessOptions options) =>
        Preprocess(PostTitle.Of(post), options with { TitleWeight = 0 });

    /// <inheritdoc cref="Preprocess(string, PreprocessOptions)"/>
    public static string Preprocess(ReadOnlySpan<char> post, PreprocessOptions options)
    {
        if (post.IsEmpty)
        {
            return string.Empty;
        }

        if (options.TitleWeight > 0)
        {
            return WithWeightedTitle(post, options);
        }

        // Bounds: normalizing at most doubles the text (U+0130 lowercases to two characters); the math
        // step at most adds half of a region plus two spaces; the later steps only shrink it.
        var capacity = checked((3 * post.Length) + 16);
        var first = ArrayPool<char>.Shared.Rent(capacity);
        var second = ArrayPool<char>.Shared.Rent(capacity);
        try
        {
            var normalized = Normalize(post, first);
            var extracted = MathScanner.Extract(first.AsSpan(0, normalized), second);
            var withoutFigures = RemoveAsymptote(second.AsSpan(0, extracted), first);
            var length = Tokenize(first.AsSpan(0, withoutFigures), second, options);
            return length == 0 ? string.Empty : new string(second, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(second);
            ArrayPool<char>.Shared.Return(first);
        }
    }

    /// <summary>The title's words <c>TitleWeight</c> times, then the whole post's.</summary>
    private static string WithWeightedTitle(ReadOnlySpan<char> post, PreprocessOptions options)
    {
        var plain = options with { TitleWeight = 0 };
        var body = Preprocess(post, plain);
        var end = post.IndexOf('\n');
        var title = end > 0 ? Preprocess(post[..end], plain) : string.Empty;
        if (title.Length == 0)
        {
            return body;
        }

        var parts = Enumerable.Repeat(title, options.TitleWeight);
        return string.Join(' ', body.Length == 0 ? parts : parts.Append(body));
    }

    /// <summary>
    /// The text the anchor hands to its stop-word step (after math extraction and figure removal), for
    /// <see cref="WordTokens"/>, tests and diagnostics. Its words are the anchor's; where a region opens the text, the anchor's
    /// <c>extract_features</c> may put a space elsewhere, which no later step sees.
    /// </summary>
    internal static string Intermediate(string post)
    {
        var first = new char[(3 * post.Length) + 16];
        var second = new char[(3 * post.Length) + 16];
        var normalized = Normalize(post, first);
        var extracted = MathScanner.Extract(first.AsSpan(0, normalized), second);
        var withoutFigures = RemoveAsymptote(second.AsSpan(0, extracted), first);
        return new string(first, 0, withoutFigures);
    }

    /// <summary>
    /// Lowercases, drops URLs (<c>http\S+</c>), turns <c>$$$</c> into <c>$$ $</c> and newlines into spaces,
    /// in one pass. <paramref name="destination"/> must hold twice the input.
    /// </summary>
    internal static int Normalize(ReadOnlySpan<char> post, Span<char> destination)
    {
        var w = 0;
        var dollars = 0; // the length of the run of '$' just written, for Python's non-overlapping replace
        var i = 0;
        while (i < post.Length)
        {
            var c = post[i];
            if ((c | 0x20) == 'h' && IsUrlStart(post, i))
            {
                i += 4;
                while (i < post.Length && !Whitespace.IsRegexSpace(post[i]))
                {
                    i++;
                }

                continue;
            }

            i++;
            if (c == '$')
            {
                dollars++;
                if (dollars % 3 == 0)
                {
                    destination[w++] = ' ';
                }

                destination[w++] = '$';
                continue;
            }

            dollars = 0;
            if (c < 0x80)
            {
                destination[w++] = c switch
                {
                    >= 'A' and <= 'Z' => (char)(c | 0x20),
                    '\n' => ' ',
                    _ => c,
                };
            }
            else if (c == '\u0130')
            {
                // Python: "İ".lower() == "i\u0307"
                destination[w++] = 'i';
                destination[w++] = '\u0307';
            }
            else if (c == '\u212A')
            {
                destination[w++] = 'k'; // KELVIN SIGN
            }
            else
            {
                // Any other character lowercases to a non-ASCII, non-space character (or stays one), and
                // all later steps treat every such character alike, so it is kept as it is.
                destination[w++] = c;
            }
        }

        return w;
    }

    private static bool IsUrlStart(ReadOnlySpan<char> s, int i) =>
        i + 4 < s.Length
        && (s[i + 1] | 0x20) == 't'
        && (s[i + 2] | 0x20) == 't'
        && (s[i + 3] | 0x20) == 'p'
        && !Whitespace.IsRegexSpace(s[i + 4]);

    private const string AsyOpen = "[asy]";
    private const string AsyClose = "[/asy]";

    /// <summary>
    /// Drops each <c>[asy]</c> (not after a backslash) up to the first <c>[/asy]</c> after it (not after a
    /// backslash): the anchor's lazy <c>ASYMPTOTE_PATTERN</c>, replaced by nothing.
    /// </summary>
    internal static int RemoveAsymptote(ReadOnlySpan<char> text, Span<char> destination)
    {
        var w = 0;
        var copied = 0;
        var s = 0;
        var closer = -1; // the first valid closer at or after the previous search start
        while (s < text.Length)
        {
            var found = text[s..].IndexOf(AsyOpen, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            s += found;
            if (s > 0 && text[s - 1] == '\\')
            {
                s++;
                continue;
            }

            var from = s + AsyOpen.Length;
            if (closer < from)
            {
                // searches start after the previous closer, so together they read the text once
                closer = NextAsyCloser(text, from);
                if (closer < 0)
                {
                    break; // no closer after this opener, so none after any later one either
                }
            }

            text[copied..s].CopyTo(destination[w..]);
            w += s - copied;
            copied = s = closer + AsyClose.Length;
        }

        text[copied..].CopyTo(destination[w..]);
        return w + (text.Length - copied);
    }

    private static int NextAsyCloser(ReadOnlySpan<char> text, int from)
    {
        while (from < text.Length)
        {
            var found = text[from..].IndexOf(AsyClose, StringComparison.Ordinal);
            if (found < 0)
            {
                return -1;
            }

            var q = from + found;
            if (text[q - 1] != '\\')
            {
                return q;
            }

            from = q + 1;
        }

        return -1;
    }

    /// <summary>
    /// The stop-word step and everything after it: whitespace-split words (a backslash starts a new word),
    /// stop words dropped, the rest cut at every character outside <c>[A-Za-z0-9]</c>, command words
    /// dropped and words stemmed on request, joined by single spaces.
    /// </summary>
    internal static int Tokenize(ReadOnlySpan<char> text, Span<char> destination, PreprocessOptions options)
    {
        var w = 0;
        var tokens = new TokenWalker(text, options);
        while (tokens.MoveNext())
        {
            var token = tokens.Current;
            if (w > 0)
            {
                destination[w++] = ' ';
            }

            var target = destination.Slice(w, token.Length);
            token.CopyTo(target);
            w += options.Stem ? PorterStemmer.StemInPlace(target) : token.Length;
        }

        return w;
    }

    /// <summary>
    /// Each distinct word of the post's text outside its math (a run of <c>[a-z0-9]</c>, lowercased, as a reader
    /// sees it) that the model reads, with the token it becomes: the steps of <see cref="Preprocess(string, PreprocessOptions)"/>,
    /// so that a word maps to exactly the token the model saw. Words that the math regions' commands turn into
    /// (and any other backslash word) are left out: the reader sees them typeset, not as words.
    /// </summary>
    public static IReadOnlyDictionary<string, string> WordTokens(string post, PreprocessOptions options)
    {
        ArgumentNullException.ThrowIfNull(post);
        var text = Intermediate(post);
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        var tokens = new TokenWalker(text, options);
        while (tokens.MoveNext())
        {
            if (tokens.InCommand)
            {
                continue;
            }

            var form = tokens.Current.ToString();
            if (!words.ContainsKey(form))
            {
                var token = form.ToCharArray();
                words[form] = options.Stem ? new string(token, 0, PorterStemmer.StemInPlace(token)) : form;
            }
        }

        return words;
    }

    /// <summary>
    /// The tokens of the stop-word step's text before stemming, in order: whitespace-split words (a backslash starts a
    /// new word), stop words dropped, the rest cut at every character outside <c>[A-Za-z0-9]</c>, command words dropped
    /// on request. The one walk that <see cref="Tokenize"/> and <see cref="WordTokens"/> share.
    /// </summary>
    private ref struct TokenWalker(ReadOnlySpan<char> text, PreprocessOptions options)
    {
        private readonly ReadOnlySpan<char> text = text;
        private ReadOnlySpan<char> word;
        private int i;
        private int k;

        public ReadOnlySpan<char> Current { get; private set; }

        /// <summary>Whether the current token comes from a word that starts with a backslash: a LaTeX command.</summary>
        public readonly bool InCommand => word.Length > 1 && word[0] == '\\' && char.IsAsciiLetter(word[1]);

        public bool MoveNext()
        {
            while (true)
            {
                while (k < word.Length)
                {
                    if (!char.IsAsciiLetterOrDigit(word[k]))
                    {
                        k++;
                        continue;
                    }

                    var tokenStart = k;
                    while (k < word.Length && char.IsAsciiLetterOrDigit(word[k]))
                    {
                        k++;
                    }

                    var token = word[tokenStart..k];
                    if (options.NoCommand && StopWords.IsCommand(token))
                    {
                        continue;
                    }

                    Current = token;
                    return true;
                }

                if (!NextWord())
                {
                    return false;
                }
            }
        }

        /// <summary>Moves to the next whitespace-separated word that is not a stop word.</summary>
        private bool NextWord()
        {
            while (i < text.Length)
            {
                if (Whitespace.IsPythonSpace(text[i]))
                {
                    i++;
                    continue;
                }

                var start = i++;
                while (i < text.Length && text[i] != '\\' && !Whitespace.IsPythonSpace(text[i]))
                {
                    i++;
                }

                var candidate = text[start..i];
                if (!StopWords.IsStopWord(candidate))
                {
                    word = candidate;
                    k = 0;
                    return true;
                }
            }

            word = default;
            return false;
        }
    }
}
