using TagOlym.Core.Features;

namespace TagOlym.Core.Tests.Features;

public sealed class TfidfVectorizerTests
{
    /// <summary>The row of a document as n-gram text -> value, rounded as the hand-worked figures are.</summary>
    private static Dictionary<string, double> Named(TfidfVectorizer vectorizer, SparseRow row) =>
        row.Indices.Select((column, i) => (vectorizer.FeatureName(column), (double)row.Values[i]))
            .ToDictionary(p => p.Item1, p => p.Item2);

    private static void ShouldMatch(Dictionary<string, double> actual, Dictionary<string, double> expected)
    {
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (name, value) in expected)
        {
            actual[name].Should().BeApproximately(value, 1e-6, $"the value of '{name}'");
        }
    }

    [Fact]
    public void Unigram_values_equal_the_smooth_idf_l2_normalized_counts_worked_by_hand()
    {
        // n = 3; df: the 3, cat 2, sat 2, dog 1; idf = ln((1+n)/(1+df)) + 1 -> 1, 1.287682, 1.287682, 1.693147
        var (vectorizer, rows) = TfidfVectorizer.FitTransform(["the cat sat", "the dog sat", "the cat"], new TfidfOptions());

        vectorizer.FeatureCount.Should().Be(4);
        ShouldMatch(Named(vectorizer, rows[0]), new Dictionary<string, double> { ["the"] = 0.481334, ["cat"] = 0.619805, ["sat"] = 0.619805 });
        ShouldMatch(Named(vectorizer, rows[1]), new Dictionary<string, double> { ["the"] = 0.425441, ["dog"] = 0.720333, ["sat"] = 0.547832 });
        ShouldMatch(Named(vectorizer, rows[2]), new Dictionary<string, double> { ["the"] = 0.613356, ["cat"] = 0.789807 });
    }

    [Fact]
    public void Bigrams_are_built_over_tokens_of_two_or_more_characters_and_counted()
    {
        // "x" and "a" are not tokens, so "is a cat x cat" is the token list [is, cat, cat]
        var (vectorizer, rows) = TfidfVectorizer.FitTransform(["is a cat x cat", "cat is"], new TfidfOptions(NgramMax: 2));

        ShouldMatch(Named(vectorizer, rows[0]), new Dictionary<string, double>
        {
            ["is"] = 0.334251, ["cat"] = 0.668501, ["is cat"] = 0.469778, ["cat cat"] = 0.469778,
        });
        ShouldMatch(Named(vectorizer, rows[1]), new Dictionary<string, double> { ["cat"] = 0.501549, ["is"] = 0.501549, ["cat is"] = 0.704909 });
    }

    [Fact]
    public void Sublinear_tf_uses_one_plus_log_count()
    {
        var (vectorizer, rows) = TfidfVectorizer.FitTransform(["is cat cat", "cat is"], new TfidfOptions(NgramMax: 2, SublinearTf: true));

        ShouldMatch(Named(vectorizer, rows[0]), new Dictionary<string, double>
        {
            ["is"] = 0.357658, ["cat"] = 0.605568, ["is cat"] = 0.502676, ["cat cat"] = 0.502676,
        });
    }

    [Fact]
    public void Transform_of_a_training_document_reproduces_its_fitted_row()
    {
        string[] documents = ["prove that the sum of two odd numbers is even", "find all primes such that the sum is prime", "odd primes sum"];
        var (vectorizer, rows) = TfidfVectorizer.FitTransform(documents, new TfidfOptions(NgramMax: 3));

        for (var i = 0; i < documents.Length; i++)
        {
            var row = vectorizer.Transform(documents[i]);
            row.Indices.Should().Equal(rows[i].Indices);
            row.Values.Should().Equal(rows[i].Values);
        }
    }

    [Fact]
    public void Unknown_tokens_and_ngrams_are_ignored_and_rows_stay_unit_length()
    {
        var (vectorizer, _) = TfidfVectorizer.FitTransform(["odd primes sum", "even numbers sum"], new TfidfOptions(NgramMax: 2));

        var row = vectorizer.Transform("sum odd zebra primes even numbers");

        var names = row.Indices.Select(vectorizer.FeatureName).ToArray();
        names.Should().BeEquivalentTo(["sum", "odd", "primes", "even", "numbers", "even numbers"]);
        Math.Sqrt(row.Values.Sum(v => (double)v * v)).Should().BeApproximately(1, 1e-6);
        vectorizer.Transform("zebra giraffe").Count.Should().Be(0);
        vectorizer.Transform("").Count.Should().Be(0);
    }

    [Fact]
    public void Min_df_drops_ngrams_seen_in_fewer_training_documents()
    {
        string[] documents = ["odd primes sum", "even primes sum", "primes sum odd"];
        var (vectorizer, rows) = TfidfVectorizer.FitTransform(documents, new TfidfOptions(NgramMax: 2, MinDf: 2));

        Enumerable.Range(0, vectorizer.FeatureCount).Select(vectorizer.FeatureName)
            .Should().BeEquivalentTo(["odd", "primes", "sum", "primes sum"]);
        rows[1].Indices.Select(vectorizer.FeatureName).Should().BeEquivalentTo(["primes", "sum", "primes sum"]);
    }

    [Fact]
    public void With_min_df_the_vocabulary_keeps_only_features_and_their_prefixes_and_transforms_the_same()
    {
        string[] documents = ["odd primes sum", "even primes sum", "primes sum odd", "sum of odd primes", "odd primes sum again"];
        var (full, _) = TfidfVectorizer.FitTransform(documents, new TfidfOptions(NgramMax: 3));
        var (filtered, rows) = TfidfVectorizer.FitTransform(documents, new TfidfOptions(NgramMax: 3, MinDf: 2));

        // n-grams seen once ("even primes", "sum of", "primes sum again", ...) are gone from the trie itself
        filtered.NodeKeys.Length.Should().BeLessThan(full.NodeKeys.Length);
        filtered.NodeKeys.Length.Should().Be(filtered.FeatureCount);
        for (var i = 0; i < documents.Length; i++)
        {
            var row = filtered.Transform(documents[i]);
            row.Indices.Should().Equal(rows[i].Indices);
            row.Values.Should().Equal(rows[i].Values);
        }
    }

    [Fact]
    public void Max_features_keeps_the_most_frequent_ngrams()
    {
        var (vectorizer, _) = TfidfVectorizer.FitTransform(["aa bb bb cc", "bb cc dd", "cc ee"], new TfidfOptions(MaxFeatures: 2));

        Enumerable.Range(0, vectorizer.FeatureCount).Select(vectorizer.FeatureName).Should().BeEquivalentTo(["bb", "cc"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Ngram_lengths_outside_one_to_four_are_refused(int ngramMax)
    {
        var fit = () => TfidfVectorizer.FitTransform(["aa bb"], new TfidfOptions(NgramMax: ngramMax));
        fit.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ngram_max*");
    }
}
