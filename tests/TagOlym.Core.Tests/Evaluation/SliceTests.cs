using TagOlym.Core.Evaluation;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Tests.Evaluation;

public sealed class SliceTests
{
    private static readonly LabelIndex Labels = Matrices.AnchorLabels;

    // A tiny corpus over the anchor's taxonomy: preprocessed text, true labels, and the slices each post belongs to.
    private static readonly (string Text, string[] Truth)[] Corpus =
    [
        /* 0 */ ("prove frac b c", ["inequality"]),                                   // 4 words: short; inequality without algebra
        /* 1 */ ("prove frac b c d", ["inequality", "algebra"]),                      // 5 words: not short; has algebra
        /* 2 */ ("  x \t y  ", ["function"]),                                         // 2 words despite the spaces: short
        /* 3 */ ("roots polynomial degree three coefficients", ["polynomial"]),
        /* 4 */ ("circle radius tangent chord length", ["circle", "geometry"]),       // circle with geometry: not in the slice
        /* 5 */ ("circle radius tangent chord length", ["circle"]),
        /* 6 */ ("fraction sine cosine angle identity", ["trigonometry"]),            // "fraction" is not the word "frac"
        /* 7 */ ("remainder divided seven prime power", ["modular arithmetic", "number theory"]),
        /* 8 */ ("remainder divided seven prime power", ["modular arithmetic"]),
        /* 9 */ ("", []),                                                              // 0 words: short, no labels
    ];

    private static LabelMatrix Truth() => Labels.ToMatrix([.. Corpus.Select(c => (IReadOnlyCollection<string>)c.Truth)]);

    private static int[] Members(PostSlice slice)
    {
        var truth = Truth();
        return [.. Enumerable.Range(0, Corpus.Length).Where(i => slice.Contains(truth.Row(i), Corpus[i].Text))];
    }

    private static PostSlice Slice(string name) =>
        AnchorSlices.For(Labels, ["frac", "prove"]).Single(s => s.Name == name);

    [Fact]
    public void The_anchor_taxonomy_gets_all_eight_slices_in_the_anchors_order()
    {
        AnchorSlices.For(Labels, []).Select(s => s.Name).Should().Equal(
            "short_post",
            "inequality_not_algebra",
            "function_not_algebra",
            "polynomial_not_algebra",
            "circle_not_geometry",
            "trigonometry_not_geometry",
            "modular_arithmetic_not_number_theory",
            "without_frequent_words");
    }

    [Theory]
    [InlineData("short_post", new[] { 0, 2, 9 })]
    [InlineData("inequality_not_algebra", new[] { 0 })]
    [InlineData("function_not_algebra", new[] { 2 })]
    [InlineData("polynomial_not_algebra", new[] { 3 })]
    [InlineData("circle_not_geometry", new[] { 5 })]
    [InlineData("trigonometry_not_geometry", new[] { 6 })]
    [InlineData("modular_arithmetic_not_number_theory", new[] { 8 })]
    [InlineData("without_frequent_words", new[] { 2, 3, 4, 5, 6, 7, 8, 9 })] // 0 and 1 hold "prove" and "frac"
    public void Each_slice_holds_exactly_the_posts_it_should(string name, int[] expected)
    {
        Members(Slice(name)).Should().Equal(expected);
    }

    [Fact]
    public void Label_slices_read_the_true_labels_not_the_text()
    {
        // post 5's twin, post 4, differs only in its labels, and only post 5 is in circle_not_geometry
        Corpus[4].Text.Should().Be(Corpus[5].Text);
        Members(Slice("circle_not_geometry")).Should().Equal(5);
    }

    [Fact]
    public void A_taxonomy_without_the_parent_label_has_no_such_slice()
    {
        // no "algebra" and no "number theory": the three X_not_algebra and the modular slice are not defined
        var taxonomy = new LabelIndex(["inequality", "function", "circle", "geometry", "modular arithmetic"]);

        AnchorSlices.For(taxonomy, []).Select(s => s.Name).Should().Equal(
            "short_post", "circle_not_geometry", "without_frequent_words");
        AnchorSlices.LabelWithout(taxonomy, "inequality", "algebra").Should().BeNull();
        AnchorSlices.LabelWithout(taxonomy, "trigonometry", "geometry").Should().BeNull("the sub-topic itself is missing");
    }

    [Fact]
    public void Without_words_with_no_keywords_holds_every_post()
    {
        // Python's all() over no keywords is True
        Members(AnchorSlices.WithoutWords([])).Should().HaveCount(Corpus.Length);
    }

    [Fact]
    public void Short_post_counts_words_as_python_split_does()
    {
        var shortPost = AnchorSlices.ShortPost();

        shortPost.Contains([], "a b c d").Should().BeTrue();
        shortPost.Contains([], "a b c d e").Should().BeFalse();
        shortPost.Contains([], "a\u001fb\u00a0c\u2003d\ne").Should().BeFalse("U+001F, no-break and em spaces split words in Python too");
        shortPost.Contains([], "  a   b  ").Should().BeTrue();
    }

    [Fact]
    public void Evaluate_reports_micro_metrics_per_slice_and_leaves_empty_slices_out()
    {
        // predictions: post 0 -> inequality (hit); post 2 -> algebra (false positive, function missed);
        //              post 9 -> nothing; every other post predicted exactly right.
        var truth = Truth();
        var predicted = Truth();
        predicted.Row(2).Clear();
        predicted[2, Labels.IndexOf("algebra")] = true;

        // short_post = posts 0, 2, 9: tp 1 (post 0), predicted 2 (posts 0, 2), true 2 (post 0 inequality, post 2 function)
        // -> p 0.5, r 0.5, f 0.5, 3 posts. function_not_algebra = post 2: tp 0, pred 1, true 1 -> 0, 0, 0, 1 post.
        // Keywords ["nonexistent"] match nothing: without_frequent_words is all 10 posts: tp = 12 true labels - 1 miss = 11,
        // predicted = 11 + 1 false positive = 12, true = 12 -> p 11/12, r 11/12, f 11/12.
        var texts = Corpus.Select(c => c.Text).ToArray();
        var report = Evaluator.Evaluate(truth, predicted, texts, Labels, frequentWords: ["nonexistent"]);

        report.Slices.Should().NotBeNull();
        report.Slices!["short_post"].Should().Be(new MetricSet(0.5, 0.5, 0.5, 3));
        report.Slices["function_not_algebra"].Should().Be(new MetricSet(0, 0, 0, 1));
        report.Slices["without_frequent_words"].NumSamples.Should().Be(10);
        report.Slices["without_frequent_words"].F1.Should().BeApproximately(11.0 / 12.0, 1e-12);

        // a slice no post falls in is absent, as in the anchor
        var onlyOneSliceMatters = Evaluator.Evaluate(truth, predicted, texts, Labels,
            [AnchorSlices.ShortPost(), new PostSlice("nobody", (_, _) => false)]);
        onlyOneSliceMatters.Slices!.Keys.Should().Equal("short_post");
    }

    [Fact]
    public void Frequent_words_default_to_the_texts_being_evaluated()
    {
        // 9 distinct words, all in the top 20; longer than 3 characters: common, rare, word -> only post 2 has none.
        // Given keywords ["rare"] instead, posts 0, 1 and 2 have none of them.
        string[] texts = ["common x y", "common z", "a b c", "rare word"];
        var labels = new LabelIndex(["algebra"]);
        var truth = Matrices.Of("1", "0", "1", "0");

        var computed = Evaluator.Evaluate(truth, truth, texts, labels);
        var given = Evaluator.Evaluate(truth, truth, texts, labels, frequentWords: ["rare"]);

        FrequentWords.Of(texts).Should().Equal("common", "rare", "word");
        computed.Slices!["without_frequent_words"].NumSamples.Should().Be(1);
        given.Slices!["without_frequent_words"].NumSamples.Should().Be(3);
    }

    [Fact]
    public void A_slice_that_every_post_leaves_is_absent()
    {
        // every post holds a keyword (all words here are frequent and long), so the slice is empty and not reported
        string[] texts = ["common word here", "common again", "rare post"];
        var truth = Matrices.Of("1", "0", "1");

        var report = Evaluator.Evaluate(truth, truth, texts, new LabelIndex(["algebra"]));

        report.Slices.Should().NotContainKey("without_frequent_words");
        report.Slices.Should().ContainKey("short_post");
    }
}
