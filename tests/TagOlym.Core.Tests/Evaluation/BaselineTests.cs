using TagOlym.Core.Evaluation;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Tests.Evaluation;

public sealed class BaselineTests
{
    [Fact]
    public void Random_baseline_learns_each_labels_training_share()
    {
        // 4 training posts: a in 2, b in none, c in all 4 -> 0.5, 0, 1
        var baseline = RandomBaseline.Fit(Matrices.Of("101", "001", "101", "001"));

        baseline.Prevalence.Should().Equal(0.5, 0.0, 1.0);
    }

    [Fact]
    public void Random_baseline_draws_with_the_prevalence_and_is_reproducible()
    {
        var baseline = new RandomBaseline([0.5, 0.0, 1.0]);

        var first = baseline.Predict(2000, seed: 42);
        var again = baseline.Predict(2000, seed: 42);
        var other = baseline.Predict(2000, seed: 43);

        var counts = first.ColumnCounts();
        counts[1].Should().Be(0, "a label never seen in training is never predicted");
        counts[2].Should().Be(2000, "a label on every training post is always predicted");
        counts[0].Should().BeInRange(900, 1100, "Binomial(2000, 0.5) has sd 22; this is +-4.5 sd");
        Cells(again).Should().Equal(Cells(first));
        Cells(other).Should().NotEqual(Cells(first));
    }

    [Fact]
    public void Random_baseline_rejects_a_prevalence_outside_zero_one()
    {
        var act = () => new RandomBaseline([0.5, 1.5]);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Rule_baseline_matches_label_names_as_whole_consecutive_words()
    {
        var labels = new LabelIndex(["algebra", "geometry", "number theory"]);
        var rules = new RuleBaseline(labels);

        var predicted = rules.Predict(
        [
            "number theory problem",       // number theory
            "theory number",               // wrong order: nothing
            "algebraic geometry",          // "algebraic" is not "algebra": geometry only
            "geometri problem",            // a stem, but no stemmer was given: nothing
            "",
        ]);

        Row(predicted, 0).Should().Equal(false, false, true);
        Row(predicted, 1).Should().Equal(false, false, false);
        Row(predicted, 2).Should().Equal(false, true, false);
        Row(predicted, 3).Should().Equal(false, false, false);
        Row(predicted, 4).Should().Equal(false, false, false);
    }

    [Fact]
    public void Rule_baseline_also_matches_the_stemmed_name_when_given_a_stemmer()
    {
        // a stand-in for the Porter stemmer: geometry -> geometri, theory -> theori
        static string Stem(string w) => w.EndsWith('y') ? w[..^1] + "i" : w;
        var rules = new RuleBaseline(new LabelIndex(["geometry", "number theory"]), Stem);

        var predicted = rules.Predict(["geometri problem", "number theori", "geometry number theory"]);

        Row(predicted, 0).Should().Equal(true, false);
        Row(predicted, 1).Should().Equal(false, true);
        Row(predicted, 2).Should().Equal(true, true);
        rules.PhrasesOf(1).Should().HaveCount(2);
    }

    [Fact]
    public void Rule_baseline_splits_label_names_as_the_preprocessor_splits_posts()
    {
        // the MATH taxonomy's "Counting & Probability": lowercased, the '&' dropped
        var rules = new RuleBaseline(new LabelIndex(["Counting & Probability"]));

        rules.PhrasesOf(0).Single().Should().Equal("counting", "probability");
        Row(rules.Predict(["counting probability question"]), 0).Should().Equal(true);
    }

    [Fact]
    public void Baselines_feed_the_evaluator()
    {
        // rule baseline on 3 posts of label "algebra": texts 0 and 2 name it, truth is posts 0 and 1
        // -> tp 1 (post 0), predicted 2, support 2: p 0.5, r 0.5, f 0.5
        var labels = new LabelIndex(["algebra"]);
        string[] texts = ["algebra question", "solve for x", "linear algebra"];

        var report = Evaluator.Evaluate(Matrices.Of("1", "1", "0"), new RuleBaseline(labels).Predict(texts), texts, labels);

        report.Class["algebra"].Should().Be(new MetricSet(0.5, 0.5, 0.5, 2));
    }

    private static bool[] Row(LabelMatrix m, int i) => m.Row(i).ToArray();

    private static bool[] Cells(LabelMatrix m) =>
        [.. Enumerable.Range(0, m.Rows).SelectMany(i => m.Row(i).ToArray())];
}
