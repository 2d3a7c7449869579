using TagOlym.Core.Text;

namespace TagOlym.Core.Tests.Text;

/// <summary>
/// The math step alone, on lowercased newline-free text. Each region becomes <c>" " + commands + " "</c>
/// between the text pieces. (The anchor's <c>extract_features</c> gives the same words; where a region opens
/// the text it re-locates the pieces by string search and can shift a space, which no later step sees.)
/// </summary>
public sealed class MathScannerTests
{
    private static string Extract(string text)
    {
        var destination = new char[(2 * text.Length) + 4];
        var length = MathScanner.Extract(text, destination);
        return new string(destination, 0, length);
    }

    [Theory]
    [InlineData("no math here", "no math here")]
    [InlineData("a $x$ b", "a    b")]
    [InlineData(@"$\frac{a}{b}\le\sqrt2$", @" \frac \le \sqrt ")]
    [InlineData(@"\begin{align}x\\y\end{align}", @" \begin \\ {align}")]
    [InlineData(@"\[a\]\[b\]", @" \[ \] \[ ")]
    [InlineData(@"\begin a \end b \[ x \] y \] z", @" \begin  b  \[ \]  z")]
    [InlineData(@"\[ a \] b \( c \) d \)", @" \[  b  \( \) ")]
    [InlineData(@"\( a \( b \) c", @" \( \(  c")]
    [InlineData(@"$a \[ b $ c \]", @" \[  c \]")]
    [InlineData(@"\[ a $b$ c", @"\[ a    c")]
    [InlineData("$a$$b$", "  ")]
    [InlineData("$$x$ y$$", "  ")]
    [InlineData(@"a $x \$ y$ b", @"a  \$  b")]
    public void Replaces_regions_by_their_commands(string text, string expected)
    {
        Extract(text).Should().Be(expected);
    }

    [Theory]
    [InlineData("$")]
    [InlineData("$$")]
    [InlineData("$$$x$$$")] // runs of three or more dollars open nothing
    [InlineData("$$a$$$b$")]
    [InlineData(@"\(")]
    [InlineData(@"\begin{x}")]
    [InlineData(@"\\(x\\)")] // the opener follows a backslash
    [InlineData(@"$a\$")] // the closer follows a backslash
    [InlineData(@"\)\]\end")]
    public void Leaves_text_without_a_complete_region_alone(string text)
    {
        Extract(text).Should().Be(text);
    }

    [Fact]
    public void A_command_of_one_non_letter_takes_a_whole_surrogate_pair()
    {
        Extract("$\\\U0001F600$").Should().Be(" \\\U0001F600 ");
    }

    [Theory]
    [InlineData(@"\alpha*\beta='\gamma'\\\\\ x\", @"\alpha* \beta= \gamma' \\ \\ \ ")]
    [InlineData(@"x^2 + y", "")]
    [InlineData(@"\sum_{i}\int\!\,", @"\sum \int \! \,")]
    [InlineData(@"\", "")]
    public void Commands_are_the_anchors_regex_matches(string region, string expected)
    {
        var destination = new char[(2 * region.Length) + 4];
        var length = MathScanner.WriteCommands(region, destination);
        new string(destination, 0, length).Should().Be(expected);
    }
}
