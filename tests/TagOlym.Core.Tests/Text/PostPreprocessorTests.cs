using TagOlym.Core.Text;

namespace TagOlym.Core.Tests.Text;

public sealed class PostPreprocessorTests
{
    private static readonly PreprocessOptions Plain = new(NoCommand: false, Stem: false);
    private static readonly PreprocessOptions NoCommandStem = new(NoCommand: true, Stem: true);

    // Each expected pair is the anchor's preprocess_post output (regex 2022.10.31, NLTK 3.8) for
    // (nocommand=False, stem=False) and (nocommand=True, stem=True).
    public static TheoryData<string, string, string, string> AnchorCases => new()
    {
        { "A region becomes its commands",
          "Find all functions $f:(0,\\infty)\\rightarrow (0,\\infty)$ such that for any $x,y\\in (0,\\infty)$",
          "find functions infty rightarrow infty in infty",
          "function infti rightarrow infti in infti" },
        { "begin is itself a command and the environment name after end stays",
          "\\begin{align} x &= \\frac{1}{2} \\end{align} holds",
          "begin frac align holds",
          "begin frac align hold" },
        { "A dollar region ends at a run of exactly its length",
          "$a$$b$ c",
          "c",
          "c" },
        { "Triple dollars are separated before matching",
          "x$$$y$$z",
          "x z",
          "x z" },
        { "Greedy regions end at the last closer",
          "\\[ a \\] b \\( c \\) d \\) tail",
          "b tail",
          "b tail" },
        { "Nested openers are content",
          "\\( a \\( b \\) c",
          "c",
          "c" },
        { "An escaped dollar opens nothing",
          "it costs \\$5 and $x$ more",
          "costs 5",
          "cost 5" },
        { "An escaped opener opens nothing",
          "\\\\(x\\\\) and \\\\[y\\\\]",
          "x y",
          "x y" },
        { "Asymptote figures are dropped after math extraction",
          "[asy] draw((0,0)--(1,1)); label(\"$A$\", (0,0)); [/asy] Find $AB$ length.",
          "find length",
          "length" },
        { "An escaped figure opener is no figure",
          "\\[asy] not a figure [/asy] kept",
          "asy figure asy kept",
          "asi figur asi kept" },
        { "A figure without closer stays",
          "[asy] draw circle",
          "asy draw circle",
          "asi draw circl" },
        { "URLs are dropped",
          "visit http://example.com/a_b?c=d now, or HTTPS://X.Y/Z.",
          "visit now",
          "visit now" },
        { "Dotted capital I lowercases to two characters",
          "\u0130s it \u0130stanbul",
          "i s i stanbul",
          "i s i stanbul" },
        { "Kelvin sign lowercases to k",
          "\u212Aelvin",
          "kelvin",
          "kelvin" },
        { "Python whitespace splits stop words",
          "the\u001Cthe cat\u00A0the dog\u2003is",
          "cat dog",
          "cat dog" },
        { "Stop words are compared before punctuation is stripped",
          "don't won\u2019t it's (the) the, isn't",
          "won t the the",
          "won t the the" },
        { "begin without end is plain text",
          "\\begin\\begin\\begin",
          "begin begin begin",
          "begin begin begin" },
        { "Command words and stemming",
          "Prove that $\\sqrt{2}$ is irrational. Show it, given $x$; let us find running sums.",
          "prove sqrt irrational show it given let us find running sums",
          "sqrt irrat it us run sum" },
        { "Commands keep a star, equals or prime suffix",
          "$\\alpha*\\beta='\\gamma'\\,\\;$",
          "alpha beta gamma",
          "alpha beta gamma" },
        { "A bare end outside math is text",
          "a\\end{x}b",
          "end x b",
          "end x b" },
        { "Environments inside dollars",
          "$ \\begin{pmatrix} 1 \\end{pmatrix} $ matrix",
          "begin end matrix",
          "begin end matrix" },
        { "Empty regions",
          "\\(\\) \\[\\] $ $ \\begin\\end",
          "begin",
          "begin" },
        { "Punctuation and symbols separate words",
          "x-y;z.w,v!u?t<s=r>q_p+o*n/m",
          "x y z w v u t s r q p o n m",
          "x y z w v u t s r q p o n m" },
        { "Newlines are spaces",
          "line one\nline two\r\nthree",
          "line one line two three",
          "line one line two three" },
        { "Unicode letters are separators",
          "na\u00EFve caf\u00E9 \u03B1\u03B2 \uD835\uDC00x",
          "na ve caf x",
          "na ve caf x" },
    };

    [Theory]
    [MemberData(nameof(AnchorCases))]
    public void Preprocesses_like_the_anchor(string behaviour, string post, string plain, string noCommandStem)
    {
        PostPreprocessor.Preprocess(post, Plain).Should().Be(plain, behaviour);
        PostPreprocessor.Preprocess(post, NoCommandStem).Should().Be(noCommandStem, behaviour);
    }

    [Fact]
    public void The_span_overload_agrees_with_the_string_overload()
    {
        const string post = "Prove that $\\sqrt{2}$ is irrational, given \\(x\\).";
        PostPreprocessor.Preprocess(post.AsSpan(), NoCommandStem).Should().Be(PostPreprocessor.Preprocess(post, NoCommandStem));
    }

    [Fact]
    public void Empty_and_wordless_posts_give_the_empty_string()
    {
        PostPreprocessor.Preprocess(string.Empty, Plain).Should().BeEmpty();
        PostPreprocessor.Preprocess("   \n\t ", Plain).Should().BeEmpty();
        PostPreprocessor.Preprocess("the and of it's", Plain).Should().BeEmpty();
        PostPreprocessor.Preprocess("$\\frac{1}{2}$", Plain).Should().Be("frac");
    }

    [Fact]
    public void A_null_post_is_refused()
    {
        var act = () => PostPreprocessor.Preprocess((string)null!, Plain);
        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void The_command_option_drops_only_whole_command_words()
    {
        const string post = "Prove, show: find given let; proves shows finding";
        PostPreprocessor.Preprocess(post, new(NoCommand: true, Stem: false)).Should().Be("proves shows finding");
        PostPreprocessor.Preprocess(post, new(NoCommand: false, Stem: false))
            .Should().Be("prove show find given let proves shows finding");
    }

    [Fact]
    public void Commands_are_dropped_before_stemming()
    {
        // "proves" stems to "prove", which is a command word, but the anchor filters before it stems
        PostPreprocessor.Preprocess("proves shows", new(NoCommand: true, Stem: true)).Should().Be("prove show");
    }
}
