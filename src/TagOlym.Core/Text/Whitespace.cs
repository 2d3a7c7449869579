namespace TagOlym.Core.Text;

/// <summary>The two notions of whitespace the anchor relies on, which differ in four control characters.</summary>
internal static class Whitespace
{
    /// <summary>
    /// Python's <c>str.isspace()</c>, which <c>str.split()</c> splits on: the Unicode White_Space characters
    /// plus the information separators U+001C..U+001F.
    /// </summary>
    public static bool IsPythonSpace(char c) => c <= ' '
        ? c == ' ' || c is >= '\t' and <= '\r' || c is >= '\u001C' and <= '\u001F'
        : c >= '\u0085' && IsUnicodeSpaceAbove0x80(c);

    /// <summary>
    /// <c>\s</c> of Python's <c>regex</c> module on a <c>str</c>: the Unicode White_Space characters.
    /// </summary>
    public static bool IsRegexSpace(char c) => c <= ' '
        ? c == ' ' || c is >= '\t' and <= '\r'
        : c >= '\u0085' && IsUnicodeSpaceAbove0x80(c);

    private static bool IsUnicodeSpaceAbove0x80(char c) =>
        c is '\u0085' or '\u00A0' or '\u1680' or (>= '\u2000' and <= '\u200A')
            or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000';
}
