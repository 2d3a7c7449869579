using System.Net;
using System.Text.Json.Nodes;
using TagOlym.Core.Models;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary>Post ids echoed, <c>limit</c> and <c>minScore</c> (query or body) narrowing the model's own answer, and their input rules.</summary>
public sealed class RequestOptionsTests(ReadyService service) : IClassFixture<ReadyService>
{
    private static readonly Lazy<TagSuggester> Direct = new(() => new TagSuggester(TestModels.LoadA()));

    /// <summary>Real posts to which model A gives at least two tags, with those tags.</summary>
    private static readonly Lazy<(string Post, IReadOnlyList<TagScore> Tags)[]> MultiTagged = new(() => TestModels.Posts
        .Select(p => (Post: p, Direct.Value.Suggest(p).Tags))
        .Where(p => p.Tags.Count >= 2)
        .Take(5)
        .ToArray());

    private static JsonObject Body(IEnumerable<(JsonNode? Id, string Text)> posts, JsonObject? options = null)
    {
        var body = new JsonObject
        {
            ["texts"] = new JsonArray(posts.Select(p =>
            {
                var post = new JsonObject { ["text"] = p.Text };
                if (p.Id is not null)
                {
                    post["id"] = p.Id;
                }

                return (JsonNode)post;
            }).ToArray()),
        };
        foreach (var (key, value) in options ?? [])
        {
            body[key] = value?.DeepClone();
        }

        return body;
    }

    private async Task<JsonNode> PostOkAsync(string path, JsonObject body)
    {
        using var response = await service.Client.PostAsync(Url(path), JsonBody(body.ToJsonString()));
        var answer = await response.ReadJsonAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, answer.ToJsonString());
        return answer;
    }

    private static string[] TagsOf(JsonNode prediction) => prediction["tags"]!.AsArray().Select(t => t!["tag"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Each_post_gets_its_own_id_back_as_given_string_or_number_and_posts_without_one_get_none()
    {
        var posts = TestModels.Posts.Take(4).ToArray();
        var answer = await PostOkAsync("/predict", Body([
            (JsonValue.Create("forum-991"), posts[0]),
            (JsonValue.Create(4412), posts[1]),
            (null, posts[2]),
            (JsonValue.Create("4412"), posts[3]),
        ]));

        var predictions = answer["predictions"]!.AsArray();
        predictions[0]!["id"]!.ToJsonString().Should().Be("\"forum-991\"");
        predictions[1]!["id"]!.ToJsonString().Should().Be("4412", "a numeric id comes back as a number");
        predictions[2]!.AsObject().ContainsKey("id").Should().BeFalse();
        predictions[3]!["id"]!.ToJsonString().Should().Be("\"4412\"", "the string \"4412\" is another id than the number 4412");
        for (var i = 0; i < posts.Length; i++)
        {
            TagsOf(predictions[i]!).Should().Equal(Direct.Value.Suggest(posts[i]).Tags.Select(t => t.Tag), "ids change nothing in the tags");
        }
    }

    [Theory]
    [InlineData("query")]
    [InlineData("body")]
    public async Task Limit_keeps_the_highest_scoring_tags_of_the_models_own_answer(string where)
    {
        var cases = MultiTagged.Value;
        cases.Should().NotBeEmpty("model A gives several tags to some real posts");
        var body = Body(cases.Select(c => ((JsonNode?)null, c.Post)), where == "body" ? new JsonObject { ["limit"] = 1 } : null);

        var answer = await PostOkAsync(where == "query" ? "/predict?limit=1" : "/predict", body);

        var predictions = answer["predictions"]!.AsArray();
        for (var i = 0; i < cases.Length; i++)
        {
            TagsOf(predictions[i]!).Should().Equal(cases[i].Tags[0].Tag);
        }
    }

    [Theory]
    [InlineData("query")]
    [InlineData("body")]
    public async Task MinScore_drops_tags_scoring_below_it_and_can_only_narrow_the_answer(string where)
    {
        var (post, tags) = MultiTagged.Value[0];
        var floor = (tags[0].Score + tags[1].Score) / 2; // between the first and the second tag
        var below = tags.Min(t => t.Threshold) / 2;      // under every threshold: must not add a tag
        var invariant = System.Globalization.CultureInfo.InvariantCulture;

        var narrowed = await PostOkAsync(where == "query" ? $"/predict?minScore={floor.ToString("R", invariant)}" : "/predict",
            Body([(null, post)], where == "body" ? new JsonObject { ["minScore"] = floor } : null));
        var low = await PostOkAsync(where == "query" ? $"/predict?minScore={below.ToString("R", invariant)}&scores=all" : "/predict?scores=all",
            Body([(null, post)], where == "body" ? new JsonObject { ["minScore"] = below } : null));

        TagsOf(narrowed["predictions"]![0]!).Should().Equal(tags[0].Tag);
        TagsOf(low["predictions"]![0]!).Should().Equal(tags.Select(t => t.Tag), "a floor under the thresholds adds no tag");
        low["predictions"]![0]!["scores"]!.AsArray().Should().HaveCount(TestModels.LoadA().Labels.Count, "scores=all still lists every label");
    }

    [Fact]
    public async Task Limit_and_minScore_together_apply_both_and_a_body_without_them_answers_as_before()
    {
        var (post, tags) = MultiTagged.Value[0];
        var both = await PostOkAsync("/predict?limit=5", Body([(null, post)], new JsonObject { ["minScore"] = tags[1].Score }));
        var plain = await PostOkAsync("/predict", Body([(null, post)]));

        TagsOf(both["predictions"]![0]!).Should().Equal(tags.Where(t => t.Score >= tags[1].Score).Take(5).Select(t => t.Tag));
        TagsOf(plain["predictions"]![0]!).Should().Equal(tags.Select(t => t.Tag));
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "/predict?limit=0", "{\"texts\": [{\"text\": \"a post\"}]}", "limit" },
        { "/predict?limit=two", "{\"texts\": [{\"text\": \"a post\"}]}", "limit" },
        { "/predict?limit=-1", "{\"texts\": [{\"text\": \"a post\"}]}", "limit" },
        { "/predict", "{\"texts\": [{\"text\": \"a post\"}], \"limit\": 0}", "limit" },
        { "/predict", "{\"texts\": [{\"text\": \"a post\"}], \"limit\": 2.5}", "limit" },
        { "/predict?limit=2", "{\"texts\": [{\"text\": \"a post\"}], \"limit\": 3}", "limit" },
        { "/predict?minScore=high", "{\"texts\": [{\"text\": \"a post\"}]}", "minScore" },
        { "/predict?minScore=NaN", "{\"texts\": [{\"text\": \"a post\"}]}", "minScore" },
        { "/predict?minScore=Infinity", "{\"texts\": [{\"text\": \"a post\"}]}", "minScore" },
        { "/predict", "{\"texts\": [{\"text\": \"a post\"}], \"minScore\": \"x\"}", "minScore" },
        { "/predict?minScore=0.5", "{\"texts\": [{\"text\": \"a post\"}], \"minScore\": 0.5}", "minScore" },
        { "/predict", "{\"texts\": [{\"text\": \"a post\", \"id\": \"\"}]}", "texts[0].id" },
        { "/predict", "{\"texts\": [{\"text\": \"a post\", \"id\": true}]}", "texts[0].id" },
        { "/predict", "{\"texts\": [{\"text\": \"a post\", \"id\": [1]}]}", "texts[0].id" },
        { "/predict", "{\"texts\": [{\"text\": \"a post\", \"id\": \"" + new string('x', 257) + "\"}]}", "texts[0].id" },
        { "/predict", "{\"texts\": [{\"text\": \"a\", \"id\": 7}, {\"text\": \"b\", \"id\": 7}]}", "texts[1].id" },
        { "/models/default/predict?limit=0", "{\"texts\": [{\"text\": \"a post\"}]}", "limit" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Every_bad_option_is_a_400_problem_naming_the_field(string path, string body, string field)
    {
        using var response = await service.Client.PostAsync(Url(path), JsonBody(body));

        var problem = await PredictTests.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(field, problem.ToJsonString());
    }
}
