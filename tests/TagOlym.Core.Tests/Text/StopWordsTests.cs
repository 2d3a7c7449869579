using TagOlym.Core.Tests.Support;
using TagOlym.Core.Text;

namespace TagOlym.Core.Tests.Text;

public sealed class StopWordsTests
{
    [Fact]
    public void The_English_list_is_NLTKs_in_NLTKs_order()
    {
        var nltk = File.ReadLines(SharedData.Path("data", "golden", "nltk-stopwords-english.txt"))
            .Where(line => line.Length > 0)
            .ToList();

        nltk.Should().HaveCount(179);
        StopWords.English.Should().Equal(nltk);
    }

    [Fact]
    public void Every_listed_word_is_a_stop_word_and_the_lookup_is_exact()
    {
        foreach (var word in StopWords.English)
        {
            StopWords.IsStopWord(word).Should().BeTrue(word);
        }

        StopWords.IsStopWord("don't").Should().BeTrue();
        StopWords.IsStopWord("don’t").Should().BeFalse(); // a typographic apostrophe is another word
        StopWords.IsStopWord("The").Should().BeFalse(); // the anchor compares after lowercasing, exactly
        StopWords.IsStopWord("the ").Should().BeFalse();
        StopWords.IsStopWord(string.Empty).Should().BeFalse();
        StopWords.IsStopWord("prove").Should().BeFalse();
        StopWords.IsStopWord("themselves").Should().BeTrue();
        StopWords.IsStopWord("themselvess").Should().BeFalse();
    }

    [Fact]
    public void The_command_words_are_the_anchors_five()
    {
        StopWords.Commands.Should().Equal("prove", "let", "find", "show", "given");
        foreach (var word in StopWords.Commands)
        {
            StopWords.IsCommand(word).Should().BeTrue(word);
        }

        StopWords.IsCommand("proves").Should().BeFalse();
        StopWords.IsCommand("Find").Should().BeFalse();
        StopWords.IsCommand("the").Should().BeFalse();
    }
}
