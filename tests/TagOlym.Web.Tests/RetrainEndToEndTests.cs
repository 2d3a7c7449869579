using System.Net;
using TagOlym.Core.Models;
using TagOlym.Core.Tracking;
using TagOlym.Core.Training;
using TagOlym.Web.Predict;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary>
/// Continuous training end to end: a service process serves the champion of a local MLflow store; a retraining on
/// better data passes the gate and promotes its model; the running service answers with the new version, without
/// a restart and without a failed request.
/// </summary>
public sealed class RetrainEndToEndTests
{
    [Fact]
    public async Task A_retraining_on_better_data_is_served_without_a_restart_and_without_a_failed_request()
    {
        using var registry = new TestRegistry();
        var directory = Path.GetDirectoryName(registry.Directory)!;
        // the champion: 1,500 posts; the retraining: 3,000 other posts
        var weak = Path.Combine(directory, "weak.jsonl");
        File.WriteAllLines(weak, File.ReadLines(Path.Combine(TestModels.Directory, "b.jsonl")).Take(1500));
        var better = Path.Combine(TestModels.Directory, "a.jsonl");
        var first = await RetrainAsync(registry, weak);
        first.Promoted!.Version.Should().Be("1");

        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["Model__Path"] = "models:/tagolym@champion",
            ["Tracking__Uri"] = registry.Directory,
            ["Tracking__CacheDirectory"] = Path.Combine(directory, "cache"),
            ["Model__PollInterval"] = "00:00:00.200",
        });
        using var client = new HttpClient { BaseAddress = service.Address };
        await ServiceFactory.WaitReadyAsync(client);

        RetrainResult? second = null;
        var answers = await UnderLightLoadAsync(client, "2", () => second = RetrainAsync(registry, better).GetAwaiter().GetResult());

        second!.Decision.Promote.Should().BeTrue(second.Decision.Describe());
        second.Decision.CandidateF1.Should().BeGreaterThan(second.Decision.ChampionF1!.Value);
        second.Promoted!.Version.Should().Be("2");
        var suggesters = new Dictionary<string, TagSuggester>
        {
            ["1"] = new(first.Tracked.Training.Model),
            ["2"] = new(second.Tracked.Training.Model),
        };
        SwapLoad.AssertSwitchedCleanly(answers, "1", "2", v => suggesters[v]);
    }

    private static Task<RetrainResult> RetrainAsync(TestRegistry registry, string data)
    {
        // the champion's 1,500 posts hold few of some labels
        var request = new TrainingRequest(data, TestModels.Args) { Rules = Core.Data.ValidationRules.Default with { MinPostsPerLabel = 1 } };
        var target = new TrackingTarget(registry.Store, TrainingRuns.DefaultExperiment, "retrain", "tests");
        return Retraining.RunAsync(target, request, () => TrainingFlow.Train(request), TestRegistry.ModelName, 0, Path.Combine(registry.Directory, "..", "cache"));
    }

    /// <summary>
    /// Two workers ask for predictions every few milliseconds while <paramref name="retrain"/> runs beside them,
    /// until each has had a few answers from <paramref name="newVersion"/>.
    /// </summary>
    private static async Task<List<SwapLoad.Answer>> UnderLightLoadAsync(HttpClient client, string newVersion, Action retrain)
    {
        var answers = new System.Collections.Concurrent.ConcurrentBag<SwapLoad.Answer>();
        var seen = new int[2];
        async Task Worker(int worker)
        {
            for (var sequence = 0; seen.Any(n => n < 5); sequence++)
            {
                var post = TestModels.Posts[(worker * 97 + sequence) % TestModels.Posts.Count];
                using var response = await client.PostAsync(Url("/predict?scores=all"), PredictBody(post));
                PredictResponse? body = response.StatusCode == HttpStatusCode.OK ? await response.ReadAsAsync<PredictResponse>() : null;
                answers.Add(new SwapLoad.Answer(worker, sequence, response.StatusCode, body?.Model.Version, body?.Predictions[0], post));
                if (body?.Model.Version == newVersion)
                {
                    Interlocked.Increment(ref seen[worker]);
                }

                await Task.Delay(20);
            }
        }

        var workers = Enumerable.Range(0, 2).Select(w => Task.Run(() => Worker(w))).ToArray();
        await Task.Run(retrain);
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));
        return [.. answers];
    }
}
