using System.Text;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Text;

namespace TagOlym.Core.Tests.Text;

/// <summary>
/// Inputs that make the anchor's backtracking regex hang: each must simply finish (every step is linear) with
/// a sane, deterministic result. No test here measures time; the benchmark does.
/// </summary>
public sealed class HostileInputTests
{
    private const int Megabyte = 1 << 20;
    private static readonly PreprocessOptions Plain = new(NoCommand: false, Stem: false);
    private static readonly PreprocessOptions NoCommandStem = new(NoCommand: true, Stem: true);

    private static string Run(string post, PreprocessOptions options)
    {
        var output = PostPreprocessor.Preprocess(post, options);
        PostPreprocessor.Preprocess(post, options).Should().Be(output, "the result must be deterministic");
        output.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or ' ').Should().BeTrue();
        output.Should().NotContain("  ").And.NotStartWith(" ").And.NotEndWith(" ");
        return output;
    }

    private static string Repeat(string piece, int times) => new StringBuilder(piece.Length * times).Insert(0, piece, times).ToString();

    private static string Words(string word, int times) => string.Join(' ', Enumerable.Repeat(word, times));

    [Fact]
    public void A_megabyte_of_dollars()
    {
        Run(new string('$', Megabyte), Plain).Should().BeEmpty();
    }

    [Fact]
    public void A_megabyte_of_unbalanced_single_and_double_dollars()
    {
        // "$x $x $x " pairs up the dollars lazily; the last opener of an odd count has no closer.
        const int times = (Megabyte / 3) | 1;
        Run(Repeat("$x ", times), Plain).Should().Be(Words("x", (times + 1) / 2));
        Run(Repeat("$$x ", times / 2 | 1), Plain).Should().Be(Words("x", ((times / 2 | 1) + 1) / 2));

        // A double-dollar opener never closed, followed by single-dollar regions: no opener can
        // restart a search over the rest of the text.
        Run("$$" + Repeat(" $y$ z", Megabyte / 6), Plain).Should().Be(Words("z", Megabyte / 6));
    }

    [Fact]
    public void Begin_without_end_repeated()
    {
        const int times = 100_000;
        Run(Repeat(@"\begin{x}", times), Plain).Should().Be(Repeat("begin x ", times).TrimEnd());

        // one late \end closes the first \begin: everything becomes one region of \begin commands
        Run(Repeat(@"\begin{x}", times) + @"\end", Plain).Should().Be(Words("begin", times));
    }

    [Fact]
    public void Deeply_nested_brackets()
    {
        const int depth = 100_000;
        Run(Repeat(@"\[", depth), Plain).Should().BeEmpty();
        Run(Repeat(@"\[\alpha", depth) + Repeat(@"\]", depth), Plain).Should().Be(Words("alpha", depth));
        Run(Repeat(@"\(\[\begin{a}$", depth) + Repeat(@"\end\]\)$$", depth), Plain).Should().NotBeNull();
    }

    [Fact]
    public void A_run_of_backslashes()
    {
        Run(new string('\\', 100_000), Plain).Should().BeEmpty();
        // the dollar follows a backslash, so it opens nothing, whatever the parity of the run
        Run(new string('\\', 100_000) + "$x$", Plain).Should().Be("x");
        Run(new string('\\', 100_001) + "$x$", Plain).Should().Be("x");
        Run(Repeat(@"\\(", 50_000) + "y", Plain).Should().Be("y");
    }

    [Fact]
    public void Lone_surrogates()
    {
        Run("\uD800abc\uDC00 the $x$ \uDBFF\uDFFF end \uD800", Plain).Should().Be("abc end");
        Run("$\\\uD800$ z", Plain).Should().Be("z"); // the command is a backslash and half a pair
        Run(new string('\uD800', Megabyte), NoCommandStem).Should().BeEmpty();
        Run(Repeat("\uDC00\\\uD800$", Megabyte / 4), NoCommandStem).Should().BeEmpty();
    }

    [Fact]
    public void NUL_characters()
    {
        // NUL is not whitespace: "the\0the" is one word, not a stop word
        const string post = "the\0the \0prove\0 $\0$ given";
        Run(post, Plain).Should().Be("the the prove given");
        Run(post, NoCommandStem).Should().Be("the the");
        Run(new string('\0', Megabyte), Plain).Should().BeEmpty();
    }

    [Fact]
    public void A_megabyte_mixing_everything()
    {
        var post = HostileInputs.Mixed(Megabyte);
        var plain = Run(post, Plain);
        var stemmed = Run(post, NoCommandStem);
        plain.Should().NotBeEmpty();
        stemmed.Split(' ').Length.Should().BeLessThanOrEqualTo(plain.Split(' ').Length);
        PostPreprocessor.Preprocess(post.AsSpan(), Plain).Should().Be(plain);
    }
}
