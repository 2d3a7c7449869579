using TagOlym.Core.Text;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// The words of a text as Python's <c>str.split()</c> gives them: maximal runs of non-whitespace, no empty words.
/// Enumerates slices of the text, so counting words allocates nothing.
/// </summary>
internal ref struct WhitespaceTokens
{
    private readonly ReadOnlySpan<char> _text;
    private int _next;

    public WhitespaceTokens(ReadOnlySpan<char> text)
    {
        _text = text;
        _next = 0;
        Current = default;
    }

    public ReadOnlySpan<char> Current { get; private set; }

    /// <summary>How many words the text has.</summary>
    public static int Count(ReadOnlySpan<char> text)
    {
        var n = 0;
        foreach (var _ in new WhitespaceTokens(text))
        {
            n++;
        }

        return n;
    }

    public readonly WhitespaceTokens GetEnumerator() => this;

    public bool MoveNext()
    {
        var i = _next;
        while (i < _text.Length && Whitespace.IsPythonSpace(_text[i]))
        {
            i++;
        }

        if (i == _text.Length)
        {
            _next = i;
            return false;
        }

        var start = i;
        while (i < _text.Length && !Whitespace.IsPythonSpace(_text[i]))
        {
            i++;
        }

        Current = _text[start..i];
        _next = i;
        return true;
    }
}
