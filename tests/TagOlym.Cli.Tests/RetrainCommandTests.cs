using System.IO.Compression;
using System.Text.Json.Nodes;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Tracking;

namespace TagOlym.Cli.Tests;

/// <summary>
/// <c>tagolym retrain</c> against the local MLflow file store: the first model becomes the champion, a model trained
/// on ten times the data replaces it, one trained on a deliberately degraded set (a fifth of the data) is kept out,
/// and bad data is refused before anything is trained.
/// </summary>
public sealed class RetrainCommandTests : IDisposable, IClassFixture<RealMlflowServer>
{
    private readonly string directory = CliRunner.TemporaryDirectory();
    private readonly RealMlflowServer mlflow;

    public RetrainCommandTests(RealMlflowServer mlflow)
    {
        this.mlflow = mlflow;
        Store = Path.Combine(directory, "store");
        var lines = new List<string>();
        using (var input = new StreamReader(new GZipStream(File.OpenRead(SharedData.Path("data", "mse-questions.jsonl.gz")), CompressionMode.Decompress)))
        {
            for (var i = 0; i < 3600 && input.ReadLine() is { } line; i++)
            {
                lines.Add(line);
            }
        }

        File.WriteAllLines(Path.Combine(directory, "small.jsonl"), lines.Take(300));
        File.WriteAllLines(Path.Combine(directory, "good.jsonl"), lines.Take(3000));
        // a deliberately degraded training set: 600 posts the others do not hold, a fifth of the good set. Its labels
        // stay true, because the gate measures both models on held-out posts of the data it is given.
        File.WriteAllLines(Path.Combine(directory, "degraded.jsonl"), lines.Skip(3000));
        File.WriteAllText(Path.Combine(directory, "args.json"), """{"ngram_max": 2, "stem": true, "loss": "log_loss", "alpha": 1e-5, "l1_ratio": 0.0, "learning_rate": "optimal"}""");
        // the default rules but for the posts a label needs (the small set has few of some)
        File.WriteAllText(Path.Combine(directory, "rules.json"), """
            {"min_posts_per_label": 1}
            """);
    }

    /// <summary>The tracking store the commands and the checks use: the local file store unless a test says otherwise.</summary>
    private string Store { get; set; }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public Task On_the_local_store_the_first_model_becomes_champion_a_better_one_replaces_it_and_a_degraded_one_is_kept_out() =>
        GateScenarioAsync(Store);

    [Fact]
    public Task On_a_real_mlflow_server_the_first_model_becomes_champion_a_better_one_replaces_it_and_a_degraded_one_is_kept_out() =>
        GateScenarioAsync(mlflow.Uri.ToString().TrimEnd('/'));

    private async Task GateScenarioAsync(string trackingUri)
    {
        Store = trackingUri;
        var first = Retrain("small.jsonl");
        first.ExitCode.Should().Be(0, first.Stderr);
        first.Stdout.Should().Contain("promoted: no champion yet").And.Contain("tagolym version 1 is the champion");
        (await ChampionAsync()).Should().Be("1");

        var better = Retrain("good.jsonl");
        better.ExitCode.Should().Be(0, better.Stderr);
        better.Stdout.Should().Contain("promoted: weighted F1").And.Contain("tagolym version 2 is the champion");
        (await ChampionAsync()).Should().Be("2");
        var betterRun = await LastRunAsync();
        betterRun.Tags["tagolym.gate.decision"].Should().Be("promoted");
        betterRun.Tags["tagolym.gate.champion_version"].Should().Be("1");
        betterRun.Tags["tagolym.data.rows"].Should().Be("3000");
        betterRun.Tags["tagolym.data.fingerprint"].Should().MatchRegex("^sha256:[0-9a-f]{64}$");
        Metric(betterRun, "gate_new_f1").Should().BeGreaterThan(Metric(betterRun, "gate_champion_f1"));

        var degraded = Retrain("degraded.jsonl");
        degraded.ExitCode.Should().Be(0, degraded.Stderr);
        degraded.Stdout.Should().Contain("kept the champion: weighted F1").And.Contain("tagolym version 2 stays the champion");
        (await ChampionAsync()).Should().Be("2");
        var degradedRun = await LastRunAsync();
        degradedRun.Tags["tagolym.gate.decision"].Should().Be("kept_champion");
        Metric(degradedRun, "gate_new_f1").Should().BeLessThan(Metric(degradedRun, "gate_champion_f1"));
        using var store = TrackingStores.Open(Store);
        (await store.SearchModelVersionsAsync("tagolym")).Should().HaveCount(2, "a model the gate keeps out is not registered");
    }

    [Fact]
    public async Task Feedback_posts_are_trained_on_with_the_data()
    {
        var run = CliRunner.RunIn(directory, null, null, "retrain", "--data", "good.jsonl", "--feedback", "degraded.jsonl",
            "--args", "args.json", "--rules", "rules.json", "--tracking-uri", Store, "--quiet");

        run.ExitCode.Should().Be(0, run.Stderr);
        var logged = await LastRunAsync();
        logged.Tags["tagolym.data.rows"].Should().Be("3600", "3,000 posts of --data and 600 of --feedback");
        logged.Tags["tagolym.gate.decision"].Should().Be("promoted");
    }

    [Fact]
    public async Task Bad_data_is_refused_with_the_report_and_nothing_is_registered()
    {
        var bad = Path.Combine(directory, "bad.jsonl");
        File.WriteAllLines(bad, File.ReadAllLines(Path.Combine(directory, "good.jsonl")).Take(200).Concat(Enumerable.Repeat("""{"id": 1, "post_canonical": "", "tags": ["algebra"]}""", 50)));

        var run = Retrain("bad.jsonl");

        run.ExitCode.Should().Be(1);
        run.Stderr.Should().Contain("the data did not pass validation").And.NotContain("   at ");
        using var store = TrackingStores.Open(Store);
        var act = () => store.GetModelVersionByAliasAsync("tagolym", "champion");
        await act.Should().ThrowAsync<ResourceDoesNotExistException>();
    }

    private CliRunner.Result Retrain(string data) =>
        CliRunner.RunIn(directory, null, null, "retrain", "--data", data, "--args", "args.json", "--rules", "rules.json", "--tracking-uri", Store, "--quiet");

    private async Task<string> ChampionAsync()
    {
        using var store = TrackingStores.Open(Store);
        return (await store.GetModelVersionByAliasAsync("tagolym", "champion")).Version;
    }

    private async Task<Run> LastRunAsync()
    {
        using var store = TrackingStores.Open(Store);
        var experiment = await store.GetExperimentByNameAsync("tagolym");
        var runs = await store.SearchRunsAsync([experiment.ExperimentId]);
        return runs.OrderByDescending(r => r.Info.StartTime).First();
    }

    private static double Metric(Run run, string key) => run.Metrics.Single(m => m.Key == key).Value;
}
