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
            var features = model.Scorer.Features.Transform(PostPreprocessor.Preprocess(post, model.Scorer.Preprocess));
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
