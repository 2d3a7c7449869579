using TagOlym.Core.Features;
using TagOlym.Core.Text;

namespace TagOlym.Core.Tests.Features;

public sealed class PostVectorizerTests
{
    [Theory]
    [InlineData("Title here\n\nBody text", "Title here")]
    [InlineData("Two line\ntitle\n\nbody", "Two line\ntitle")]
    [InlineData("Title\r\n\r\nbody", "Title")]
    [InlineData("Title\n \t \nbody", "Title")]
    [InlineData("One line only", "")]
    [InlineData("Line one\nline two\n", "")]
    [InlineData("\n\nbody after a blank start", "")]
    [InlineData("", "")]
    public void The_title_is_the_text_before_the_first_blank_line(string post, string title)
    {
        PostTitle.Of(post).ToString().Should().Be(title);
    }

    [Fact]
    public void The_title_block_follows_the_body_block_with_its_own_vocabulary_scaled_by_the_weight()
    {
        string[] bodies = ["circle radius area", "prime number divisor", "circle chord prime"];
        string[] titles = ["circle area", "prime", ""];

        var (vectorizer, rows) = PostVectorizer.FitTransform(bodies, titles, new TfidfOptions(), titleWeight: 0.5);

        var (body, bodyRows) = TfidfVectorizer.FitTransform(bodies, new TfidfOptions());
        var (title, titleRows) = TfidfVectorizer.FitTransform(titles, new TfidfOptions());
        vectorizer.FeatureCount.Should().Be(body.FeatureCount + title.FeatureCount);
        for (var i = 0; i < rows.Length; i++)
        {
            var expectedIndices = bodyRows[i].Indices.Concat(titleRows[i].Indices.Select(c => c + body.FeatureCount));
            var expectedValues = bodyRows[i].Values.Concat(titleRows[i].Values.Select(v => v * 0.5f));
            rows[i].Indices.Should().Equal(expectedIndices);
            rows[i].Values.Should().Equal(expectedValues, (a, b) => Math.Abs(a - b) < 1e-7);
        }

        // the title block's norm is the weight; a post without a title has only its body block
        Math.Sqrt(rows[0].Values.Skip(bodyRows[0].Count).Sum(v => v * v)).Should().BeApproximately(0.5, 1e-6);
        rows[2].Indices.Should().OnlyContain(c => c < body.FeatureCount);
    }

    [Fact]
    public void Transform_reproduces_the_fitted_rows()
    {
        string[] bodies = ["sum of two odd numbers", "primes such that sum is prime", "odd primes"];
        string[] titles = ["odd numbers", "", "odd primes"];
        var (vectorizer, rows) = PostVectorizer.FitTransform(bodies, titles, new TfidfOptions(NgramMax: 2, SublinearTf: true), 0.7);

        for (var i = 0; i < rows.Length; i++)
        {
            var row = vectorizer.Transform(bodies[i], titles[i]);
            row.Indices.Should().Equal(rows[i].Indices);
            row.Values.Should().Equal(rows[i].Values);
        }
    }

    [Fact]
    public void Without_a_title_block_the_rows_are_the_body_blocks_and_titles_are_not_needed()
    {
        string[] bodies = ["sum of two odd numbers", "odd primes"];
        var (vectorizer, rows) = PostVectorizer.FitTransform(bodies, null, new TfidfOptions(), titleWeight: 0);
        var (body, bodyRows) = TfidfVectorizer.FitTransform(bodies, new TfidfOptions());

        vectorizer.HasTitle.Should().BeFalse();
        vectorizer.FeatureCount.Should().Be(body.FeatureCount);
        rows[1].Indices.Should().Equal(bodyRows[1].Indices);
        vectorizer.TransformAll(bodies, null)[0].Values.Should().Equal(bodyRows[0].Values);
    }

    [Fact]
    public void Title_columns_are_named_as_such()
    {
        var (vectorizer, _) = PostVectorizer.FitTransform(["circle area"], ["circle"], new TfidfOptions(), 0.5);

        Enumerable.Range(0, vectorizer.FeatureCount).Select(vectorizer.FeatureName).Should().BeEquivalentTo("area", "circle", "title: circle");
        vectorizer.FeatureName(vectorizer.FeatureCount - 1).Should().Be("title: circle");
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_weight_that_is_not_positive_is_refused(double weight)
    {
        var act = () => PostVectorizer.FitTransform(["a b"], ["a"], new TfidfOptions(), weight);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*title_block_weight*");
    }
}
