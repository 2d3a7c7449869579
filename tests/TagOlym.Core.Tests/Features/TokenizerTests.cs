using TagOlym.Core.Features;

namespace TagOlym.Core.Tests.Features;

public sealed class TokenizerTests
{
    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        foreach (var range in Tokenizer.Tokens(text))
        {
            tokens.Add(text[range]);
        }

        return tokens;
    }

    [Theory]
    [InlineData("a bb ccc", new[] { "bb", "ccc" })]
    [InlineData("x2 is 3 ok_go", new[] { "x2", "is", "ok_go" })]
    [InlineData("  ", new string[0])]
    [InlineData("f(x)=x^2+10", new[] { "10" })]
    [InlineData("élan vital", new[] { "élan", "vital" })]
    public void Tokens_are_runs_of_two_or_more_word_characters(string text, string[] expected) =>
        Tokens(text).Should().Equal(expected);
}
