using System.Text.Json;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Evaluation;

/// <summary>
/// The frequent-word slice on the anchor's own preprocessed output of 3,000 real posts
/// (<c>shared/data/golden/preprocess_golden.jsonl</c>). Expected keywords and slice sizes were computed independently in
/// Python (<c>collections.Counter(...).most_common(20)</c>, then <c>len(w) &gt; 3</c>; <c>str.split()</c> for membership).
/// </summary>
public sealed class RealPostsTests
{
    private static readonly Lazy<(string[] Plain, string[] Stemmed)> Texts = new(Load);

    [Fact]
    public void Keywords_of_plain_preprocessing_are_the_anchors()
    {
        // top 20: frac 2769, mathbb 2040, i, in, right, let, s, one, question, left, infty, function, sum,
        // m, would, set, know, 1, find, to -- of which ten are longer than 3 characters
        FrequentWords.Of(Texts.Value.Plain).Should().Equal(
            "frac", "mathbb", "right", "question", "left", "infty", "function", "would", "know", "find");
    }

    [Fact]
    public void Keywords_of_stemmed_preprocessing_are_the_anchors()
    {
        FrequentWords.Of(Texts.Value.Stemmed).Should().Equal(
            "frac", "mathbb", "function", "question", "right", "number", "left", "infti", "would", "know", "point", "time");
    }

    [Fact]
    public void Slice_sizes_on_real_posts_match_python()
    {
        var plain = Texts.Value.Plain;
        var without = AnchorSlices.WithoutWords(FrequentWords.Of(plain));
        var shortPost = AnchorSlices.ShortPost();

        plain.Count(t => without.Contains([], t)).Should().Be(529);
        plain.Count(t => shortPost.Contains([], t)).Should().Be(1);
        Texts.Value.Stemmed.Count(t => shortPost.Contains([], t)).Should().Be(3);
    }

    private static (string[] Plain, string[] Stemmed) Load()
    {
        var plain = new List<string>();
        var stemmed = new List<string>();
        foreach (var line in File.ReadLines(SharedData.Path("data", "golden", "preprocess_golden.jsonl")))
        {
            using var row = JsonDocument.Parse(line);
            plain.Add(row.RootElement.GetProperty("nocommand_false_stem_false").GetString()!);
            stemmed.Add(row.RootElement.GetProperty("nocommand_true_stem_true").GetString()!);
        }

        plain.Should().HaveCount(3000);
        return ([.. plain], [.. stemmed]);
    }
}
