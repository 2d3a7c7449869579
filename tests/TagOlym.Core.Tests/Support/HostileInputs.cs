using System.Text;

namespace TagOlym.Core.Tests.Support;

/// <summary>Adversarial posts shared by the hostile-input tests and the preprocessing benchmark.</summary>
public static class HostileInputs
{
    private static readonly string[] Pieces =
    [
        "$", "$$", "$$$", @"\(", @"\)", @"\[", @"\]", @"\begin", @"\end", @"\\", @"\", "\uD800", "\uDC00", "\0",
        "[asy]", "[/asy]", "http://x", " ", "\n", "word", "the", "proving", @"\frac", "{", "}",
    ];

    /// <summary><paramref name="piece"/> repeated until the text is at least <paramref name="length"/> characters.</summary>
    public static string Repeat(string piece, int length)
    {
        var builder = new StringBuilder(length + piece.Length);
        while (builder.Length < length)
        {
            builder.Append(piece);
        }

        return builder.ToString();
    }

    /// <summary>A seeded random mix of every delimiter, escape and odd character the preprocessor handles.</summary>
    public static string Mixed(int length, int seed = 42)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(length + 16);
        while (builder.Length < length)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return builder.ToString();
    }
}
