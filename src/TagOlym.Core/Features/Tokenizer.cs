namespace TagOlym.Core.Features;

/// <summary>
/// scikit-learn's default token pattern <c>(?u)\b\w\w+\b</c>: maximal runs of two or more word characters
/// (letters, digits, underscore), found without a regex and without allocating.
/// </summary>
public static class Tokenizer
{
    /// <summary>The tokens of <paramref name="text"/>, left to right, as ranges into it.</summary>
    public static TokenEnumerator Tokens(ReadOnlySpan<char> text) => new(text);

    internal static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}

/// <summary>Walks the tokens of a text; use with <c>foreach</c>.</summary>
public ref struct TokenEnumerator
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;

    internal TokenEnumerator(ReadOnlySpan<char> text)
    {
        _text = text;
        _position = 0;
        Current = default;
    }

    public Range Current { get; private set; }

    public readonly TokenEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_position < _text.Length)
        {
            if (!Tokenizer.IsWordChar(_text[_position]))
            {
                _position++;
                continue;
            }

            var start = _position;
            while (_position < _text.Length && Tokenizer.IsWordChar(_text[_position]))
            {
                _position++;
            }

            if (_position - start >= 2)
            {
                Current = start.._position;
                return true;
            }
        }

        return false;
    }
}
