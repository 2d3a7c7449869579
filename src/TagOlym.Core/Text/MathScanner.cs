namespace TagOlym.Core.Text;

/// <summary>
/// Replaces every math region of a (lowercased, newline-free) post by the LaTeX commands written in it:
/// the anchor's <c>extract_features(EQUATION_PATTERN, x)</c> in one linear pass.
/// </summary>
/// <remarks>
/// <para>The anchor matches regions with a recursive backtracking regex; what it finds is, leftmost first:</para>
/// <list type="bullet">
/// <item><b><c>$</c> and <c>$$</c></b>: a run of exactly one or two dollars (not after a backslash) opens a region
/// that ends <em>lazily</em> at the next run of the same length that is not after a backslash. A run of three
/// or more dollars opens nothing; an opener without a closer opens nothing.</item>
/// <item><b><c>\(</c>, <c>\[</c>, <c>\begin</c></b> (not after a backslash) open a region that ends
/// <em>greedily</em> at the <em>last</em> <c>\)</c>, <c>\]</c> or bare <c>\end</c> of the whole text (not after
/// a backslash). The <c>{name}</c> after <c>\end</c> stays in the text.</item>
/// </list>
/// <para>Commands (<c>\\(?:[^a-zA-Z]|[a-zA-Z]+[*=']?)</c>) are taken from the opening delimiter and the content,
/// never from the closing delimiter; so <c>\begin</c> itself is a command. The result is the anchor's
/// <c>" ".join</c> of the text pieces and the command strings: each region becomes
/// <c>" " + commands + " "</c>.</para>
/// <para>The greedy closers are the last ones of the text, found once; the lazy closers are found by one
/// forward cursor per dollar-run length, whose searches never overlap. So the pass is linear on any
/// input, where the anchor's regex is quadratic (or worse) on unbalanced delimiters.</para>
/// </remarks>
internal static class MathScanner
{
    /// <summary>
    /// Writes the text with its math regions replaced to <paramref name="destination"/>, which must hold
    /// <c>1.5 * text.Length + 2</c> characters, and returns the length written.
    /// </summary>
    public static int Extract(ReadOnlySpan<char> text, Span<char> destination)
    {
        var lastParen = LastCloser(text, @"\)");
        var lastBracket = LastCloser(text, @"\]");
        var lastEnd = LastCloser(text, @"\end");
        var singles = new DollarCloserCursor(1);
        var doubles = new DollarCloserCursor(2);

        var w = 0;
        var copied = 0;
        var s = 0;
        while (s < text.Length)
        {
            var found = text[s..].IndexOfAny('$', '\\');
            if (found < 0)
            {
                break;
            }

            s += found;
            int contentEnd, closerLength;
            if (text[s] == '$')
            {
                var run = 1;
                while (s + run < text.Length && text[s + run] == '$')
                {
                    run++;
                }

                var escaped = s > 0 && text[s - 1] == '\\';
                var closer = escaped || run > 2
                    ? -1
                    : run == 1 ? singles.Next(text, s + 1) : doubles.Next(text, s + 2);
                if (closer < 0)
                {
                    s += run; // no dollar of this run opens a region: the others follow a dollar
                    continue;
                }

                contentEnd = closer;
                closerLength = run;
            }
            else
            {
                if (s > 0 && text[s - 1] == '\\')
                {
                    s++;
                    continue;
                }

                var rest = text[(s + 1)..];
                int openerLength, last;
                if (rest.StartsWith('('))
                {
                    (openerLength, last, closerLength) = (2, lastParen, 2);
                }
                else if (rest.StartsWith('['))
                {
                    (openerLength, last, closerLength) = (2, lastBracket, 2);
                }
                else if (rest.StartsWith("begin", StringComparison.Ordinal))
                {
                    (openerLength, last, closerLength) = (6, lastEnd, 4);
                }
                else
                {
                    s++;
                    continue;
                }

                if (last < s + openerLength)
                {
                    s++;
                    continue;
                }

                contentEnd = last;
            }

            text[copied..s].CopyTo(destination[w..]);
            w += s - copied;
            destination[w++] = ' ';
            w += WriteCommands(text[s..contentEnd], destination[w..]);
            destination[w++] = ' ';
            copied = s = contentEnd + closerLength;
        }

        text[copied..].CopyTo(destination[w..]);
        return w + (text.Length - copied);
    }

    /// <summary>
    /// The commands of <paramref name="region"/> (<c>\\(?:[^a-zA-Z]|[a-zA-Z]+[*=']?)</c>, leftmost and
    /// non-overlapping; one code point after the backslash), joined by single spaces.
    /// </summary>
    internal static int WriteCommands(ReadOnlySpan<char> region, Span<char> destination)
    {
        var w = 0;
        var i = 0;
        while (i < region.Length)
        {
            var found = region[i..].IndexOf('\\');
            if (found < 0)
            {
                break;
            }

            i += found;
            if (i + 1 >= region.Length)
            {
                break;
            }

            var c = region[i + 1];
            var j = i + 2;
            if (char.IsAsciiLetter(c))
            {
                while (j < region.Length && char.IsAsciiLetter(region[j]))
                {
                    j++;
                }

                if (j < region.Length && region[j] is '*' or '=' or '\'')
                {
                    j++;
                }
            }
            else if (char.IsHighSurrogate(c) && j < region.Length && char.IsLowSurrogate(region[j]))
            {
                j++;
            }

            if (w > 0)
            {
                destination[w++] = ' ';
            }

            region[i..j].CopyTo(destination[w..]);
            w += j - i;
            i = j;
        }

        return w;
    }

    /// <summary>The position of the last <paramref name="closer"/> not after a backslash, or -1.</summary>
    private static int LastCloser(ReadOnlySpan<char> text, string closer)
    {
        var end = text.Length;
        while (true)
        {
            var q = text[..end].LastIndexOf(closer, StringComparison.Ordinal);
            if (q <= 0)
            {
                return q; // -1, or at the start where nothing precedes it
            }

            if (text[q - 1] != '\\')
            {
                return q;
            }

            end = q; // a closer cannot overlap itself, so the next candidate ends before this one
        }
    }

    /// <summary>
    /// Finds, for a growing search start, the next run of exactly <c>length</c> dollars that is not after a
    /// backslash. Each successful search is followed by a scan resuming after the closer, so searches never
    /// read the same text twice; a failed search settles that no later one can succeed.
    /// </summary>
    private struct DollarCloserCursor(int length)
    {
        private bool _exhausted;

        /// <param name="text">The text.</param>
        /// <param name="from">Where to start: not inside a run of dollars.</param>
        public int Next(ReadOnlySpan<char> text, int from)
        {
            if (_exhausted)
            {
                return -1;
            }

            var pos = from;
            while (pos < text.Length)
            {
                var found = text[pos..].IndexOf('$');
                if (found < 0)
                {
                    break;
                }

                var start = pos + found;
                var end = start + 1;
                while (end < text.Length && text[end] == '$')
                {
                    end++;
                }

                if (end - start == length && text[start - 1] != '\\')
                {
                    return start;
                }

                pos = end;
            }

            _exhausted = true;
            return -1;
        }
    }
}
