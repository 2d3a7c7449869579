using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Text;

namespace TagOlym.Core.Tests.Text;

/// <summary>What holds for every post: on generated posts (seeded) and on the golden posts.</summary>
public sealed partial class PreprocessorPropertyTests
{
    private static readonly PreprocessOptions[] AllOptions =
    [
        new(NoCommand: false, Stem: false),
        new(NoCommand: false, Stem: true),
        new(NoCommand: true, Stem: false),
        new(NoCommand: true, Stem: true),
    ];

    // Pieces that exercise every step: delimiters (balanced or not, escaped or not), commands, figures,
    // URLs, stop and command words, Python-only whitespace, case, non-ASCII and control characters.
    private static readonly string[] Pieces =
    [
        "$", "$$", "$$$", @"\(", @"\)", @"\[", @"\]", @"\begin", @"\end", "{align}", @"\\", @"\", " ", "  ",
        "\n", "\r\n", "\t", "x", "Y2", "the", "The", "it's", "don't", "prove", "Given", "Let", "running",
        "equations", "generalization", @"\frac{1}{2}", @"\alpha*", @"\le", "[asy]", "[/asy]", @"\[asy]",
        "draw((0,0)--(1,1));", "http://example.com/x?y=1", "HTTPS://A.B", "-", ".", ",", "(", ")", "<=", "^2",
        "\u0130", "\u212A", "\u00A0", "\u001C", "\u2003", "\0", "\u00E9", "\u03B1", "\U0001D400", @"\$",
    ];

    private static IEnumerable<string> GeneratedPosts(int seed, int count)
    {
        var random = new Random(seed);
        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Clear();
            var pieces = random.Next(1, 80);
            for (var j = 0; j < pieces; j++)
            {
                builder.Append(Pieces[random.Next(Pieces.Length)]);
            }

            yield return builder.ToString();
        }
    }

    private static readonly Lazy<string[]> GoldenPosts = new(() =>
        new[] { "preprocess_golden.jsonl", "math_preprocess_golden.jsonl" }
            .SelectMany(file => File.ReadLines(SharedData.Path("data", "golden", file)))
            .Where(line => line.Length > 0)
            .Select(line =>
            {
                using var document = JsonDocument.Parse(line);
                return document.RootElement.GetProperty("post_canonical").GetString()!;
            })
            .ToArray());

    public static TheoryData<string> Corpora => new() { "generated", "golden" };

    private static IEnumerable<string> Posts(string corpus) =>
        corpus == "golden" ? GoldenPosts.Value : GeneratedPosts(seed: 20240601, count: 3000);

    [GeneratedRegex("^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$")]
    private static partial Regex Clean();

    private static string[] Words(string text) => text.Length == 0 ? [] : text.Split(' ');

    [Theory]
    [MemberData(nameof(Corpora))]
    public void Output_is_lowercase_ASCII_words_separated_by_single_spaces(string corpus)
    {
        foreach (var post in Posts(corpus))
        {
            foreach (var options in AllOptions)
            {
                var output = PostPreprocessor.Preprocess(post, options);
                Clean().IsMatch(output).Should().BeTrue($"'{output}' is the output for '{post}' with {options}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Corpora))]
    public void Stemming_maps_each_word_to_its_stem_and_never_lengthens_it(string corpus)
    {
        foreach (var post in Posts(corpus))
        {
            foreach (var noCommand in new[] { false, true })
            {
                var plain = Words(PostPreprocessor.Preprocess(post, new(noCommand, Stem: false)));
                var stemmed = Words(PostPreprocessor.Preprocess(post, new(noCommand, Stem: true)));

                stemmed.Should().Equal(plain.Select(PorterStemmer.Stem), post);
                stemmed.Zip(plain).Where(pair => pair.First.Length > pair.Second.Length).Should().BeEmpty();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Corpora))]
    public void The_command_option_removes_exactly_the_command_words(string corpus)
    {
        foreach (var post in Posts(corpus))
        {
            var all = Words(PostPreprocessor.Preprocess(post, new(NoCommand: false, Stem: false)));
            var withoutCommands = Words(PostPreprocessor.Preprocess(post, new(NoCommand: true, Stem: false)));

            withoutCommands.Should().Equal(all.Where(word => !StopWords.IsCommand(word)), post);
        }
    }

    [Fact]
    public void Without_figures_every_word_is_a_piece_of_the_lowercased_post()
    {
        // Only figure removal glues text together ("a[asy]..[/asy]b" gives "ab"); every other step
        // keeps or drops characters and separates what it touches.
        foreach (var post in GeneratedPosts(seed: 7, count: 2000).Where(p => !p.Contains("[asy]", StringComparison.Ordinal)))
        {
            var lowered = post.ToLowerInvariant().Replace("\u0130", "i", StringComparison.Ordinal);
            foreach (var word in Words(PostPreprocessor.Preprocess(post, new(NoCommand: false, Stem: false))))
            {
                lowered.Should().Contain(word, post);
            }
        }
    }

    [Fact]
    public void Appending_a_stop_word_changes_nothing()
    {
        foreach (var post in GeneratedPosts(seed: 11, count: 2000))
        {
            foreach (var options in AllOptions)
            {
                PostPreprocessor.Preprocess(post + " the", options)
                    .Should().Be(PostPreprocessor.Preprocess(post, options), post);
            }
        }
    }

    [Fact]
    public void Results_are_deterministic_and_the_span_overload_agrees()
    {
        foreach (var post in GeneratedPosts(seed: 3, count: 1000))
        {
            var options = new PreprocessOptions(NoCommand: true, Stem: true);
            var first = PostPreprocessor.Preprocess(post, options);
            PostPreprocessor.Preprocess(post, options).Should().Be(first);
            PostPreprocessor.Preprocess(post.AsSpan(), options).Should().Be(first);
        }
    }
}
