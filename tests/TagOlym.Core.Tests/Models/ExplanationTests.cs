using System.Text.RegularExpressions;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;
using TagOlym.Core.Text;

namespace TagOlym.Core.Tests.Models;

public sealed class ExplanationTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Contributions_plus_the_intercept_are_each_linear_members_margin_and_the_combination_is_the_served_score()
    {
        var model = fixture.Result.Model;
        var suggester = new TagSuggester(model);
        var member = model.Scorer.Members.OfType<LinearMember>().Single();
        var checkedTerms = 0;
        foreach (var post in TrainedModelFixture.Posts)
        {
            var served = suggester.Suggest(post);
            var explained = model.Explain(post, top: 5);
            var features = model.Scorer.Features.Transform(PostPreprocessor.Preprocess(post, model.Scorer.Preprocess), []);
            var margins = new double[model.Labels.Count];
            member.Classifier.Margins(features, margins);
            var words = PostPreprocessor.Preprocess(post, model.Scorer.Preprocess).Split(' ');

            explained.Select(e => e.Label).Should().Equal(model.Labels);
            explained.Select(e => e.Score).Should().Equal(served.Scores, "the explanation goes through the served scoring path");
            explained.Where(e => e.Suggested).Select(e => e.Label).Should().BeEquivalentTo(served.Tags.Select(t => t.Tag));
            for (var l = 0; l < explained.Count; l++)
            {
                var linear = explained[l].Members.Should().ContainSingle().Subject;
                linear.Margin.Should().Be(margins[l], "the margin is summed in the classifier's order");
                (linear.Intercept!.Value + linear.TopTerms!.Sum(t => t.Contribution) + linear.OtherTerms!.Value)
                    .Should().BeApproximately(linear.Margin!.Value, 1e-12);
                linear.Intercept.Should().Be(member.Classifier.Intercept(l));
                linear.Score.Should().Be(LossFunctions.Score(member.Classifier.Loss, linear.Margin.Value));
                explained[l].Score.Should().Be(linear.Score, "one member and the single-member combiner: the final score is the member's");
                linear.TopTerms!.Should().HaveCountLessThanOrEqualTo(5);
                linear.TopTerms!.Select(t => Math.Abs(t.Contribution)).Should().BeInDescendingOrder();
                foreach (var term in linear.TopTerms!)
                {
                    term.Contribution.Should().Be(term.Weight * term.TfIdf);
                    term.Term.Split(' ').Should().OnlyContain(w => words.Contains(w), "every named n-gram is in the post");
                    checkedTerms++;
                }
            }
        }

        checkedTerms.Should().BeGreaterThan(100);
    }

    [Fact]
    public void The_words_of_an_explanation_are_the_posts_words_outside_math_whose_token_is_in_a_top_n_gram_that_raised_the_score()
    {
        var model = fixture.Result.Model;
        var options = model.Scorer.Preprocess;
        var checkedWords = 0;
        foreach (var post in TrainedModelFixture.Posts)
        {
            // what a reader sees as words, and the tokens the math's commands become, found here without the preprocessor's walk
            var postWords = Regex.Matches(post, "[A-Za-z0-9]+").Select(m => m.Value.ToLowerInvariant()).ToHashSet();
            var commandTokens = Regex.Matches(post, @"\\[A-Za-z]+").Select(m => PostPreprocessor.Preprocess(m.Value, options)).ToHashSet();
            foreach (var label in model.Explain(post, top: 5))
            {
                var raising = label.Members.SelectMany(m => m.TopTerms!).Where(t => t.Contribution > 0).SelectMany(t => t.Term.Split(' ')).ToHashSet();
                foreach (var word in label.Words!)
                {
                    postWords.Should().Contain(word, "a word is written in the post, lowercased");
                    raising.Should().Contain(PostPreprocessor.Preprocess(word, options), $"'{word}' preprocesses to a token of an n-gram that raised {label.Label}");
                    checkedWords++;
                }

                var covered = label.Words!.Select(w => PostPreprocessor.Preprocess(w, options)).ToHashSet();
                raising.Where(t => !covered.Contains(t) && !commandTokens.Contains(t)).Should().BeEmpty("every raising token is a word of the text or a command of the math");
            }
        }

        checkedWords.Should().BeGreaterThan(10);
    }

    [Fact]
    public void Word_tokens_are_the_texts_words_with_their_stemmed_tokens_without_stop_words_or_the_maths_commands()
    {
        var words = PostPreprocessor.WordTokens("Running PRIMES $\\frac{a}{b}$ and the primes \\[ x \\] cost \\$5.", new PreprocessOptions(NoCommand: false, Stem: true));

        words.Should().Equal(new Dictionary<string, string> { ["running"] = "run", ["primes"] = "prime", ["cost"] = "cost", ["5"] = "5" });
    }

    [Fact]
    public void An_empty_post_is_explained_by_the_intercept_alone()
    {
        var explained = fixture.Result.Model.Explain(string.Empty);

        foreach (var label in explained)
        {
            var member = label.Members.Single();
            member.TopTerms.Should().BeEmpty();
            member.Margin.Should().Be(member.Intercept);
        }
    }
}
