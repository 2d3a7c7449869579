using TagOlym.Core.Text;

namespace TagOlym.Core.Tests.Text;

public sealed class TitleWeightTests
{
    private const string Post = "Counting subsets of a set\n\nHow many subsets with $\\binom{n}{k}$ elements are there?";

    [Fact]
    public void The_title_words_come_first_as_many_more_times_as_the_weight()
    {
        var plain = PostPreprocessor.Preprocess(Post, new PreprocessOptions(false, false));
        var weighted = PostPreprocessor.Preprocess(Post, new PreprocessOptions(false, false, TitleWeight: 2));

        // "there?" is not the stop word "there": the anchor drops stop words before punctuation splits words
        plain.Should().Be("counting subsets set many subsets binom elements there");
        weighted.Should().Be("counting subsets set counting subsets set " + plain);
    }

    [Fact]
    public void Options_apply_to_the_title_too()
    {
        var weighted = PostPreprocessor.Preprocess(Post, new PreprocessOptions(true, true, TitleWeight: 1));

        weighted.Should().StartWith("count subset set count subset set");
    }

    [Theory]
    [InlineData("A single line about $\\sin x$")]
    [InlineData("\nA post that starts with a newline")]
    [InlineData("the of and\nbody words")]
    public void A_post_without_a_title_line_or_with_an_empty_title_is_unchanged(string post)
    {
        PostPreprocessor.Preprocess(post, new PreprocessOptions(false, true, TitleWeight: 3))
            .Should().Be(PostPreprocessor.Preprocess(post, new PreprocessOptions(false, true)));
    }
}
