using System.Net;
using System.Text.Json.Nodes;
using TagOlym.Core.Data;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary>An answered verdict is on disk: the service killed (SIGKILL, no shutdown) right after one write loses
/// neither it nor the next one written by the restarted service.</summary>
public sealed class FeedbackCrashTests
{
    [Fact]
    public async Task Killing_the_service_between_two_verdicts_loses_neither()
    {
        var database = Path.Combine(TestModels.TemporaryDirectory(), "feedback.db");
        var environment = new Dictionary<string, string>
        {
            ["Model__Path"] = TestModels.CopyOf(TestModels.A),
            ["Model__Bootstrap__Enabled"] = "false",
            ["Feedback__ConnectionString"] = $"Data Source={database}",
        };
        var first = new JsonObject { ["id"] = 101, ["text"] = "First post $a+b$", ["accepted"] = new JsonArray("algebra"), ["modelVersion"] = "1" };
        var second = new JsonObject { ["id"] = 102, ["text"] = "Second post", ["rejected"] = new JsonArray("geometry"), ["modelVersion"] = "1" };

        await using (var service = await ServiceProcess.StartAsync(environment))
        {
            using var client = new HttpClient { BaseAddress = service.Address };
            using var response = await client.PostAsync(Url("/feedback"), JsonBody(first.ToJsonString()));
            response.StatusCode.Should().Be(HttpStatusCode.Created);
            await service.StopAsync(); // kill -9 right after the answer
        }

        await using (var service = await ServiceProcess.StartAsync(environment))
        {
            using var client = new HttpClient { BaseAddress = service.Address };
            using (var again = await client.PostAsync(Url("/feedback"), JsonBody(first.ToJsonString())))
            {
                (await again.ReadJsonAsync())["outcome"]!.GetValue<string>().Should().Be("unchanged", "the first verdict survived the kill");
            }

            using var response = await client.PostAsync(Url("/feedback"), JsonBody(second.ToJsonString()));
            response.StatusCode.Should().Be(HttpStatusCode.Created);
            await service.StopAsync();
        }

        var stored = await new FeedbackStore($"Data Source={database}").ReadAllAsync().ToArrayAsync();
        stored.Select(e => (e.PostId.Text, string.Join("|", e.Accepted), string.Join("|", e.Rejected)))
            .Should().Equal(("101", "algebra", ""), ("102", "", "geometry"));
    }
}
