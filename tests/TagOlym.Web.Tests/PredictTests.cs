using System.Net;
using System.Text.Json.Nodes;
using TagOlym.Core.Models;
using TagOlym.Web.Predict;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

public sealed class PredictTests(ReadyService service) : IClassFixture<ReadyService>
{
    private static readonly Lazy<TagSuggester> Direct = new(() => new TagSuggester(TestModels.LoadA()));

    [Fact]
    public async Task One_post_gets_its_tags_above_threshold_highest_first_and_the_model_that_answered()
    {
        using var response = await service.Client.PredictAsync("How many ways can 5 people sit around a round table if rotations are the same?");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await response.ReadAsAsync<PredictResponse>())!;
        body.Predictions.Should().HaveCount(1);
        var tags = body.Predictions[0].Tags;
        tags.Should().NotBeEmpty().And.OnlyContain(t => t.Score > t.Threshold);
        tags.Select(t => t.Score).Should().BeInDescendingOrder();
        tags[0].Tag.Should().Be("combinatorics");
        body.Predictions[0].Scores.Should().BeNull("every label's score is only given with ?scores=all");
        body.Model.Name.Should().Be("tagolym");
        body.Model.Version.Should().MatchRegex(@"^\d{8}\.\d{6}-[0-9a-f]{8}$");
        body.Model.RunId.Should().BeNull();
        (await response.ReadJsonAsync())["model"]!.AsObject().ContainsKey("runId").Should().BeTrue("the run id is there, null until a registry exists");
    }

    [Fact]
    public async Task Answers_equal_the_models_own_suggestions_in_input_order()
    {
        var posts = TestModels.Posts.Take(20).ToArray();

        using var response = await service.Client.PredictAsync(posts);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await response.ReadAsAsync<PredictResponse>())!;
        body.Predictions.Should().HaveCount(posts.Length);
        for (var i = 0; i < posts.Length; i++)
        {
            var expected = Direct.Value.Suggest(posts[i]).Tags.Select(t => (t.Tag, t.Score, t.Threshold));
            body.Predictions[i].Tags.Select(t => (t.Tag, t.Score, t.Threshold)).Should().Equal(expected, $"post {i} answers in its place");
        }

        body.Predictions.Should().Contain(p => p.Tags.Count > 0);
    }

    [Fact]
    public async Task The_maximum_of_256_posts_in_one_request_all_get_answers()
    {
        var posts = Enumerable.Range(0, 256).Select(i => TestModels.Posts[i % TestModels.Posts.Count]).ToArray();

        using var response = await service.Client.PredictAsync(posts);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await response.ReadAsAsync<PredictResponse>())!;
        body.Predictions.Should().HaveCount(256);
        body.Predictions[255].Tags.Select(t => t.Tag).Should().Equal(Direct.Value.Suggest(posts[255]).Tags.Select(t => t.Tag));
    }

    [Fact]
    public async Task Scores_all_gives_every_label_with_its_threshold_in_the_models_order()
    {
        var model = Direct.Value.Model;

        using var response = await service.Client.PostAsync(Url("/predict?scores=all"), PredictBody(TestModels.Posts[0], TestModels.Posts[1]));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await response.ReadAsAsync<PredictResponse>())!;
        foreach (var prediction in body.Predictions)
        {
            prediction.Scores.Should().NotBeNull();
            prediction.Scores!.Select(s => s.Tag).Should().Equal(model.Labels);
            prediction.Scores!.Select(s => s.Threshold).Should().Equal(model.Thresholds);
            prediction.Tags.Select(t => t.Tag).Should().BeEquivalentTo(prediction.Scores!.Where(s => s.Score > s.Threshold).Select(s => s.Tag));
        }

        body.Predictions[0].Scores!.Select(s => s.Score).Should().Equal(Direct.Value.Suggest(TestModels.Posts[0]).Scores);
    }

    [Fact]
    public async Task Explain_true_says_why_each_suggested_tag_got_its_score_as_the_model_explains_it()
    {
        var model = Direct.Value.Model;
        var posts = TestModels.Posts.Take(20).ToArray();

        using var response = await service.Client.PostAsync(Url("/predict?explain=true"), PredictBody(posts));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await response.ReadAsAsync<PredictResponse>())!;
        body.Predictions.SelectMany(p => p.Tags).Should().NotBeEmpty();
        body.Predictions.SelectMany(p => p.Explanations!).SelectMany(e => e.Words!).Should().NotBeEmpty("real posts have words that raised their tags");
        for (var i = 0; i < posts.Length; i++)
        {
            var prediction = body.Predictions[i];
            prediction.Explanations!.Select(e => e.Label).Should().Equal(prediction.Tags.Select(t => t.Tag), "one explanation per suggested tag, in the same order");
            var expected = model.Explain(posts[i]).Where(e => e.Suggested).ToDictionary(e => e.Label);
            foreach (var explanation in prediction.Explanations!)
            {
                explanation.Score.Should().Be(prediction.Tags.Single(t => t.Tag == explanation.Label).Score, "the explained score is the served one");
                explanation.Members.Select(m => m.Kind).Should().Equal(expected[explanation.Label].Members.Select(m => m.Kind));
                explanation.Members.Select(m => m.Kind).Should().HaveCount(3).And.StartWith(["sgd", "nb"]);
                explanation.Members[2].Kind.Should().StartWith("subtag (", "the sub-tag member names the class that scored the label");
                for (var m = 0; m < explanation.Members.Count; m++)
                {
                    var member = explanation.Members[m];
                    member.TopTerms!.Select(t => t.Term).Should().Equal(expected[explanation.Label].Members[m].TopTerms!.Select(t => t.Term));
                    (member.Intercept!.Value + member.TopTerms!.Sum(t => t.Contribution) + member.OtherTerms!.Value).Should().BeApproximately(member.Margin!.Value, 1e-9);
                }

                explanation.Words.Should().Equal(expected[explanation.Label].Words, "the words behind the top n-grams, as the model names them");
                explanation.Combination!.MembersScore.Should().Be(expected[explanation.Label].Combination!.MembersScore);
                explanation.Combination.StageScore.Should().Be(expected[explanation.Label].Combination!.StageScore);
            }
        }

        using var plain = await service.Client.PostAsync(Url("/predict"), PredictBody(posts[0]));
        (await plain.Content.ReadAsStringAsync()).Should().NotContain("explanations", "explanations only come when asked for");
    }

    [Fact]
    public async Task An_unknown_explain_value_is_a_problem_naming_the_parameter()
    {
        using var response = await service.Client.PostAsync(Url("/predict?explain=yes"), PredictBody("a post"));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!["explain"].Should().NotBeNull();
    }

    [Fact]
    public async Task An_unknown_scores_value_is_a_problem_naming_the_parameter()
    {
        using var response = await service.Client.PostAsync(Url("/predict?scores=every"), PredictBody("a post"));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!["scores"].Should().NotBeNull();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"texts\": []}")]
    [InlineData("{\"texts\": null}")]
    [InlineData("null")]
    public async Task Missing_or_empty_texts_is_a_problem_naming_texts(string json)
    {
        using var response = await service.Client.PostAsync(Url("/predict"), JsonBody(json));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!["texts"]![0]!.GetValue<string>().Should().Contain("texts is required");
    }

    [Fact]
    public async Task Items_without_text_or_with_an_empty_one_are_named_by_index()
    {
        using var response = await service.Client.PostAsync(Url("/predict"),
            JsonBody("{\"texts\": [{\"text\": \"a real post\"}, {}, {\"text\": \"\"}, {\"text\": \"  \\n \"}, null, {\"text\": \"fine\"}]}"));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("texts[1].text", "texts[2].text", "texts[3].text", "texts[4].text");
        problem["detail"]!.GetValue<string>().Should().Contain("texts[3].text");
    }

    [Fact]
    public async Task More_posts_than_the_maximum_is_a_problem_naming_texts_and_the_limit()
    {
        using var response = await service.Client.PredictAsync(Enumerable.Repeat("a post", 257).ToArray());

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!["texts"]![0]!.GetValue<string>().Should().Contain("at most 256 posts").And.Contain("got 257");
        problem["limit"]!.GetValue<int>().Should().Be(256);
    }

    [Fact]
    public async Task A_post_longer_than_the_maximum_is_a_problem_naming_it_and_the_limit_while_one_at_the_limit_is_answered()
    {
        using (var atLimit = await service.Client.PredictAsync(new string('x', 100_000)))
        {
            atLimit.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var response = await service.Client.PredictAsync("short", new string('x', 100_001));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!["texts[1].text"]![0]!.GetValue<string>().Should().Contain("100,001").And.Contain("100,000");
    }

    [Fact]
    public async Task A_body_over_the_maximum_is_413_with_the_limit()
    {
        using var response = await service.Client.PredictAsync(new string('x', 4 * 1024 * 1024));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        problem["limit"]!.GetValue<long>().Should().Be(4 * 1024 * 1024);
        problem["detail"]!.GetValue<string>().Should().Contain("4,194,304 bytes");
    }

    [Fact]
    public async Task A_streamed_body_without_length_over_the_maximum_is_413()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("{\"texts\": [{\"text\": \"" + new string('y', 5 * 1024 * 1024) + "\"}]}");
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/predict")) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await service.Client.SendAsync(request);

        await ExpectProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("{\"texts\": [{\"text\": \"unclosed", "line 1, byte 30")]
    [InlineData("not json at all", "line 1, byte 2")]
    [InlineData("{\"texts\": [{\"text\": \"a\"}]} trailing", "line 1, byte 28")]
    public async Task Malformed_json_is_400_problem_saying_where(string json, string where)
    {
        using var response = await service.Client.PostAsync(Url("/predict"), JsonBody(json));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["title"]!.GetValue<string>().Should().Be("Malformed JSON");
        problem["detail"]!.GetValue<string>().Should().Contain(where).And.NotContainAny("System.", "TagOlym.", "Path:", "LineNumber");
    }

    [Theory]
    [InlineData("{\"texts\": [{\"text\": 5}]}", "texts[0].text", "texts[0].text must be a string (the post)")]
    [InlineData("{\"texts\": [{\"text\": \"fine\"}, {\"text\": [\"a\"]}]}", "texts[1].text", "texts[1].text must be a string (the post)")]
    [InlineData("{\"texts\": [{\"text\": \"fine\"}, 7]}", "texts[1]", "texts[1] must be an object {\"text\": \"...\"}")]
    [InlineData("{\"texts\": \"not an array\"}", "texts", "texts must be an array of {\"text\": \"...\"} objects")]
    [InlineData("{\"texts\": {\"text\": \"an object\"}}", "texts", "texts must be an array of {\"text\": \"...\"} objects")]
    [InlineData("[{\"text\": \"a list\"}]", "body", "body must be a JSON object {\"texts\": [{\"text\": \"...\"}]}")]
    [InlineData("{\"texts\": [{\"text\": \"\\ud800 a lone surrogate\"}]}", "texts[0].text", "texts[0].text is not valid Unicode text (it holds a lone UTF-16 surrogate)")]
    public async Task A_value_of_the_wrong_kind_is_a_validation_problem_naming_the_field_without_net_types(string json, string field, string message)
    {
        using var response = await service.Client.PostAsync(Url("/predict"), JsonBody(json));

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["title"]!.GetValue<string>().Should().Be("Invalid request");
        problem["detail"]!.GetValue<string>().Should().Be(message);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal(field);
        problem["errors"]![field]![0]!.GetValue<string>().Should().Be(message);
        problem.ToJsonString().Should().NotContainAny("System.", "TagOlym.", "IReadOnlyList", "PostInput");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_body_that_is_not_json_is_415(string? contentType)
    {
        using var content = new ByteArrayContent("{\"texts\": [{\"text\": \"a post\"}]}"u8.ToArray());
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await service.Client.PostAsync(Url("/predict"), content);

        var problem = await ExpectProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        problem["detail"]!.GetValue<string>().Should().Contain("application/json");
    }

    internal static async Task<JsonNode> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.ReadJsonAsync();
        problem["status"]!.GetValue<int>().Should().Be((int)status);
        problem["title"].Should().NotBeNull();
        return problem;
    }
}
