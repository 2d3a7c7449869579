using System.Net;
using System.Text.Json.Nodes;
using TagOlym.Core.Data;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary><c>POST /feedback</c>: verdicts stored in SQLite once per (post id, model version), validated like /predict, and exported as training data.</summary>
public sealed class FeedbackTests(ReadyService service) : IClassFixture<ReadyService>
{
    private static JsonObject Verdict(JsonNode? id, string text, string[] accepted, string[] rejected, string version = "7")
    {
        var body = new JsonObject
        {
            ["text"] = text,
            ["accepted"] = new JsonArray(accepted.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            ["rejected"] = new JsonArray(rejected.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            ["modelVersion"] = version,
        };
        if (id is not null)
        {
            body["id"] = id;
        }

        return body;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(JsonObject verdict)
    {
        using var response = await service.Client.PostAsync(Url("/feedback"), JsonBody(verdict.ToJsonString()));
        return (response.StatusCode, await response.ReadJsonAsync());
    }

    private async Task<FeedbackEntry[]> StoredAsync()
    {
        var store = new FeedbackStore($"Data Source={service.Factory.FeedbackDatabase}");
        return await store.ReadAllAsync().ToArrayAsync();
    }

    [Fact]
    public async Task A_verdict_is_stored_once_per_post_and_model_version_and_a_changed_one_replaces_it()
    {
        var id = $"post-{Guid.NewGuid():N}";
        var first = Verdict(JsonValue.Create(id), "Find all primes $p$ with $p^2+2$ prime.", ["number theory"], ["algebra"]);

        var created = await SendAsync(first);
        var again = await SendAsync(first);
        var changed = await SendAsync(Verdict(JsonValue.Create(id), "Find all primes $p$ with $p^2+2$ prime.", ["number theory", "algebra"], []));
        var otherVersion = await SendAsync(Verdict(JsonValue.Create(id), "Find all primes $p$ with $p^2+2$ prime.", ["number theory"], [], "8"));

        created.Status.Should().Be(HttpStatusCode.Created);
        created.Body["outcome"]!.GetValue<string>().Should().Be("created");
        created.Body["postId"]!.GetValue<string>().Should().Be(id);
        created.Body["model"]!.GetValue<string>().Should().Be("default");
        again.Status.Should().Be(HttpStatusCode.OK);
        again.Body["outcome"]!.GetValue<string>().Should().Be("unchanged");
        changed.Body["outcome"]!.GetValue<string>().Should().Be("replaced");
        otherVersion.Status.Should().Be(HttpStatusCode.Created, "another model version's verdict is another row");

        var rows = (await StoredAsync()).Where(e => e.PostId.Text == id).ToArray();
        rows.Should().HaveCount(2);
        rows.Single(r => r.ModelVersion == "7").Accepted.Should().Equal("number theory", "algebra");
        rows.Single(r => r.ModelVersion == "7").Rejected.Should().BeEmpty();
        rows.Single(r => r.ModelVersion == "8").Accepted.Should().Equal("number theory");
    }

    [Fact]
    public async Task A_post_without_an_id_is_known_by_its_text_and_a_numeric_id_stays_a_number()
    {
        var text = $"Without id {Guid.NewGuid():N}: is $\\sqrt 2$ rational?";
        var first = await SendAsync(Verdict(null, text, ["algebra"], []));
        var second = await SendAsync(Verdict(null, text, ["algebra"], []));
        var numeric = await SendAsync(Verdict(JsonValue.Create(Random.Shared.NextInt64(1, long.MaxValue)), "A numbered post", ["geometry"], []));

        first.Status.Should().Be(HttpStatusCode.Created);
        second.Body["outcome"]!.GetValue<string>().Should().Be("unchanged");
        first.Body["postId"]!.GetValue<string>().Should().Be(FeedbackStore.IdOf(text).Text);
        numeric.Body["postId"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
        (await StoredAsync()).Should().Contain(e => e.PostId.Kind == PostIdKind.Number && e.Text == "A numbered post");
    }

    [Fact]
    public async Task Export_writes_the_accepted_tags_as_labeled_posts_that_the_data_reader_reads()
    {
        var database = Path.Combine(TestModels.TemporaryDirectory(), "export.db");
        var store = new FeedbackStore($"Data Source={database}");
        var now = DateTimeOffset.UtcNow;
        await store.RecordAsync(new FeedbackEntry(PostId.FromNumber(11), "1", "default", "Post eleven $x^2$", ["algebra"], ["geometry"], now));
        await store.RecordAsync(new FeedbackEntry(PostId.FromNumber(11), "2", "default", "Post eleven $x^2$", ["algebra", "function"], [], now.AddSeconds(1)));
        await store.RecordAsync(new FeedbackEntry(PostId.FromString("p-12"), "2", "default", "Post twelve", [], ["circle"], now.AddSeconds(2)));
        await store.RecordAsync(new FeedbackEntry(PostId.FromString("p-13"), "2", "default", "Post \"thirteen\"\n$\\frac12$", ["geometry"], [], now.AddSeconds(3)));
        var output = Path.Combine(TestModels.TemporaryDirectory(), "feedback.jsonl");

        var written = await store.ExportLabeledAsync(output);

        written.Should().Be(2, "post 11 counts once with its latest verdict, and p-12 has no accepted tag");
        var records = PostReader.ReadAll(output).ToArray();
        records.Select(r => (r.Id.Text, r.Post, string.Join("|", r.Tags!))).Should().Equal(
            ("11", "Post eleven $x^2$", "algebra|function"),
            ("p-13", "Post \"thirteen\"\n$\\frac12$", "geometry"));
        records[0].Id.Kind.Should().Be(PostIdKind.Number);
        Directory.GetFiles(Path.GetDirectoryName(output)!).Should().Equal([output], "the file is written to a temporary name and renamed");
    }

    public static TheoryData<string, string> BadVerdicts => new()
    {
        { "{\"accepted\": [\"algebra\"], \"modelVersion\": \"1\"}", "text" },
        { "{\"text\": \" \", \"accepted\": [\"algebra\"], \"modelVersion\": \"1\"}", "text" },
        { "{\"text\": \"t\", \"accepted\": [\"algebra\"]}", "modelVersion" },
        { "{\"text\": \"t\", \"accepted\": [\"algebra\"], \"modelVersion\": \"" + new string('9', 101) + "\"}", "modelVersion" },
        { "{\"text\": \"t\", \"accepted\": [], \"rejected\": [], \"modelVersion\": \"1\"}", "accepted" },
        { "{\"text\": \"t\", \"modelVersion\": \"1\"}", "accepted" },
        { "{\"text\": \"t\", \"accepted\": [\"\"], \"modelVersion\": \"1\"}", "accepted[0]" },
        { "{\"text\": \"t\", \"accepted\": [\"algebra\", null], \"modelVersion\": \"1\"}", "accepted[1]" },
        { "{\"text\": \"t\", \"rejected\": [\"" + new string('x', 101) + "\"], \"modelVersion\": \"1\"}", "rejected[0]" },
        { "{\"text\": \"t\", \"accepted\": [\"algebra\"], \"rejected\": [\"algebra\"], \"modelVersion\": \"1\"}", "rejected" },
        { "{\"text\": \"t\", \"accepted\": \"algebra\", \"modelVersion\": \"1\"}", "accepted" },
        { "{\"text\": \"t\", \"accepted\": [\"algebra\"], \"modelVersion\": \"1\", \"id\": false}", "id" },
        { "{\"text\": \"t\", \"accepted\": [\"algebra\"], \"modelVersion\": \"1\", \"id\": \"\"}", "id" },
        { "{\"text\": \"t\", \"accepted\": [\"algebra\"], \"modelVersion\": \"1\", \"model\": \"nope\"}", "model" },
        { "{\"text\": 5, \"accepted\": [\"algebra\"], \"modelVersion\": \"1\"}", "text" },
    };

    [Theory]
    [MemberData(nameof(BadVerdicts))]
    public async Task Every_bad_verdict_is_a_400_problem_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        var before = (await StoredAsync()).Length;

        using var response = await service.Client.PostAsync(Url("/feedback"), JsonBody(body));

        var problem = await PredictTests.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(field, problem.ToJsonString());
        (await StoredAsync()).Length.Should().Be(before);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_an_oversized_one_413()
    {
        using var text = new StringContent("text=hello");
        (await PredictTests.ExpectProblemAsync(await service.Client.PostAsync(Url("/feedback"), text), HttpStatusCode.UnsupportedMediaType))
            ["detail"]!.GetValue<string>().Should().Contain("application/json");
        var huge = Verdict(null, new string('q', 5 * 1024 * 1024), ["algebra"], []);
        await PredictTests.ExpectProblemAsync(await service.Client.PostAsync(Url("/feedback"), JsonBody(huge.ToJsonString())), HttpStatusCode.RequestEntityTooLarge);
    }
}
