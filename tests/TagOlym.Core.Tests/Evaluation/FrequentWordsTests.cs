using TagOlym.Core.Evaluation;

namespace TagOlym.Core.Tests.Evaluation;

public sealed class FrequentWordsTests
{
    [Fact]
    public void Token_counts_stream_whitespace_split_words()
    {
        var counts = new TokenCounts();
        counts.Add("  a\tb\na  ");
        counts.Add("");
        counts.Add("b b c");

        counts.Total.Should().Be(6);
        counts.Distinct.Should().Be(3);
        counts.CountOf("a").Should().Be(2);
        counts.CountOf("b").Should().Be(3);
        counts.CountOf("c").Should().Be(1);
        counts.CountOf("d").Should().Be(0);
    }

    [Fact]
    public void Most_common_orders_by_count_then_by_first_appearance()
    {
        // counts: q 1, b 2, a 2, c 3; b appeared before a, so b ranks above a
        var counts = TokenCounts.Of(["q b a", "a b c", "c c"]);

        counts.MostCommon(10).Should().Equal(
            new KeyValuePair<string, long>("c", 3),
            new KeyValuePair<string, long>("b", 2),
            new KeyValuePair<string, long>("a", 2),
            new KeyValuePair<string, long>("q", 1));
        counts.MostCommon(2).Select(e => e.Key).Should().Equal("c", "b");
        counts.MostCommon(0).Should().BeEmpty();
    }

    [Fact]
    public void The_top_twenty_are_cut_before_short_words_are_dropped()
    {
        // 25 words with distinct counts: word k (k = 0..24) appears 100 - k times.
        // Words 0..9 are short ("x0".."x9", 2 characters), words 10..19 are long ("long10".."long19"),
        // 20..24 are long too ("late20".."late24") but rank 21st to 25th.
        // Anchor: top 20 = words 0..19, then keep len > 3 -> long10..long19: 10 keywords, not 20.
        var words = Enumerable.Range(0, 25).Select(k => k < 10 ? $"x{k}" : k < 20 ? $"long{k}" : $"late{k}").ToArray();
        var texts = new List<string>();
        for (var k = 0; k < words.Length; k++)
        {
            texts.Add(string.Join(' ', Enumerable.Repeat(words[k], 100 - k)));
        }

        var keywords = FrequentWords.Of(texts);

        keywords.Should().Equal(Enumerable.Range(10, 10).Select(k => $"long{k}"));
    }

    [Fact]
    public void Three_letter_words_are_not_keywords_but_four_letter_words_are()
    {
        FrequentWords.Of(["abc abcd abc abcd"]).Should().Equal("abcd");
    }
}
