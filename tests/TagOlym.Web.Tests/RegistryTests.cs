using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TagOlym.Core.Models;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Tracking;
using TagOlym.Web.Predict;
using TagOlym.Web.Serving;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary>The service reading its model from the model registry of a local MLflow file store, or of a real MLflow server.</summary>
[Collection(MlflowServersDefinition.Name)]
public sealed class RegistryTests(MlflowServers servers)
{
    private const string Champion = "models:/tagolym@champion";
    private static readonly Lazy<TagSuggester> SuggesterA = new(() => new TagSuggester(TestModels.ResultA.Model));
    private static readonly Lazy<TagSuggester> SuggesterB = new(() => new TagSuggester(TestModels.ResultB.Model));

    [Fact]
    public async Task Promoting_version_2_to_champion_while_requests_run_switches_answers_to_it_without_a_failed_request()
    {
        using var registry = new TestRegistry();
        var v1 = await registry.RegisterAsync(TestModels.ResultA);
        var v2 = await registry.RegisterAsync(TestModels.ResultB);
        await registry.PromoteAsync(v1.Version);
        await using var factory = new ServiceFactory(Champion, registry.Settings());
        using var client = await factory.ReadyClientAsync();
        (await ModelAsync(client))["version"]!.GetValue<string>().Should().Be("1");

        var answers = await SwapLoad.UnderLoadAsync(client, "2", async () => await registry.PromoteAsync(v2.Version));

        SwapLoad.AssertSwitchedCleanly(answers, "1", "2", v => v == "1" ? SuggesterA.Value : SuggesterB.Value);
        var info = await ModelAsync(client);
        info["name"]!.GetValue<string>().Should().Be("tagolym");
        info["version"]!.GetValue<string>().Should().Be("2");
        info["runId"]!.GetValue<string>().Should().Be(v2.RunId).And.NotBe(v1.RunId);
        info["source"]!.GetValue<string>().Should().Be(Champion);
        factory.Logs.Entries.Should().Contain(e => e.Message.Contains("tagolym 2 from models:/tagolym@champion") && e.Message.Contains("was 1"));
    }

    [MlflowTheory]
    [InlineData(MlflowServer.Sqlite)]
    [InlineData(MlflowServer.File)]
    public async Task From_the_real_MLflow_server_the_champion_is_downloaded_into_the_cache_served_and_followed_when_promoted(string backend)
    {
        var server = servers[backend];
        var cache = Path.Combine(TestModels.TemporaryDirectory(), "cache");
        var name = "served-" + Guid.NewGuid().ToString("N")[..8];
        using var store = server.OpenStore();
        async Task<ModelVersion> RegisterAsync(Core.Training.TrainingResult result)
        {
            var run = await TrainingRuns.StartAsync(store, name, "remote-run");
            await TrainingRuns.LogTrainingAsync(store, run.RunId, result.Model, result.Metrics);
            return await TrainingRuns.RegisterAsync(store, run.RunId, name);
        }

        var v1 = await RegisterAsync(TestModels.ResultA);
        var v2 = await RegisterAsync(TestModels.ResultB);
        await TrainingRuns.PromoteAsync(store, name, v1.Version);
        await using var factory = new ServiceFactory($"models:/{name}@champion", new Dictionary<string, string?>
        {
            ["Tracking:Uri"] = server.Uri.ToString(),
            ["Tracking:CacheDirectory"] = cache,
            ["Model:PollInterval"] = "00:00:00.100",
        });
        using var client = await factory.ReadyClientAsync();
        await AssertAnswersLikeAsync(client, SuggesterA.Value, "1");

        await TrainingRuns.PromoteAsync(store, name, v2.Version);

        await SwapLoad.EventuallyAsync(async () => (await ModelAsync(client))["version"]!.GetValue<string>() == "2");
        (await ModelAsync(client))["runId"]!.GetValue<string>().Should().Be(v2.RunId);
        await AssertAnswersLikeAsync(client, SuggesterB.Value, "2");
        Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) == "tagolym.model")
            .Should().HaveCount(2, "each version's model was downloaded into the cache");
    }

    [MlflowTheory]
    [InlineData(MlflowServer.Sqlite)]
    [InlineData(MlflowServer.File)]
    public async Task The_service_resolves_a_uri_to_the_version_the_cli_resolver_names_pending_versions_included(string backend)
    {
        var server = servers[backend];
        var name = "pending-" + Guid.NewGuid().ToString("N")[..8];
        using var store = server.OpenStore();
        var run = await TrainingRuns.StartAsync(store, name, "pending-run");
        await TrainingRuns.LogTrainingAsync(store, run.RunId, TestModels.ResultA.Model, TestModels.ResultA.Metrics);
        var v1 = await TrainingRuns.RegisterAsync(store, run.RunId, name);
        var v2 = await TrainingRuns.RegisterAsync(store, run.RunId, name);
        await TrainingRuns.PromoteAsync(store, name, v2.Version);
        server.SetVersionStatus(name, v2.Version, "PENDING_REGISTRATION");
        var cli = new ModelUriResolver(store, TestModels.TemporaryDirectory()); // what `tagolym predict --model URI` resolves with

        foreach (var uri in new[] { $"models:/{name}/latest", $"models:/{name}/1" })
        {
            await using var factory = new ServiceFactory(uri, new Dictionary<string, string?> { ["Tracking:Uri"] = server.Uri.ToString() });
            using var client = await factory.ReadyClientAsync();
            var served = (await ModelAsync(client))["version"]!.GetValue<string>();
            served.Should().Be(v1.Version, uri).And.Be((await cli.FindAsync(ModelUri.Parse(uri))).Version!.Version, uri);
        }

        // the champion is the pending version: neither serves it until it is READY, then both name version 2
        await cli.Invoking(r => r.FindAsync(ModelUri.Parse($"models:/{name}@champion"))).Should().ThrowAsync<ResourceDoesNotExistException>();
        await using var championFactory = new ServiceFactory($"models:/{name}@champion", new Dictionary<string, string?>
        {
            ["Tracking:Uri"] = server.Uri.ToString(),
            ["Model:PollInterval"] = "00:00:00.100",
        });
        using var championClient = championFactory.CreateClient();
        var source = new RegistryModelSource($"models:/{name}@champion", championFactory.Services.GetRequiredService<ModelRegistry>(), null, TimeProvider.System);
        (await source.GetStampAsync(default)).Should().BeNull("a pending version is not there yet");
        (await championClient.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        server.SetVersionStatus(name, v2.Version, "READY");
        await ServiceFactory.WaitReadyAsync(championClient);
        (await ModelAsync(championClient))["version"]!.GetValue<string>().Should().Be((await cli.FindAsync(ModelUri.Parse($"models:/{name}@champion"))).Version!.Version).And.Be("2");
    }

    [Fact]
    public async Task A_promoted_version_whose_model_is_broken_is_refused_once_and_the_champion_before_it_keeps_serving()
    {
        using var registry = new TestRegistry();
        await registry.PromoteAsync((await registry.RegisterAsync(TestModels.ResultA)).Version);
        await using var factory = new ServiceFactory(Champion, registry.Settings());
        using var client = await factory.ReadyClientAsync();

        var run = await TrainingRuns.StartAsync(registry.Store, TrainingRuns.DefaultExperiment, "broken-run", "tests");
        var staging = TestModels.TemporaryDirectory();
        var garbage = Path.Combine(staging, "tagolym.model");
        await File.WriteAllBytesAsync(garbage, System.Security.Cryptography.RandomNumberGenerator.GetBytes(50_000));
        var descriptor = Path.Combine(staging, "MLmodel");
        await File.WriteAllTextAsync(descriptor, TrainingRuns.Describe(TestModels.ResultA.Model, run.RunId).ToYaml());
        await registry.Store.LogArtifactAsync(run.RunId, garbage, "model/tagolym.model");
        await registry.Store.LogArtifactAsync(run.RunId, descriptor, "model/MLmodel");
        var broken = await TrainingRuns.RegisterAsync(registry.Store, run.RunId);
        await registry.PromoteAsync(broken.Version);

        await SwapLoad.EventuallyAsync(() => Task.FromResult(factory.Logs.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("refused"))));
        await Task.Delay(300); // a few more polls
        await AssertAnswersLikeAsync(client, SuggesterA.Value, "1");
        factory.Logs.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("refused")).Should().Be(1, "the same version is refused once");

        await registry.PromoteAsync((await registry.RegisterAsync(TestModels.ResultB)).Version);

        await SwapLoad.EventuallyAsync(async () => (await ModelAsync(client))["version"]!.GetValue<string>() == "3");
        await AssertAnswersLikeAsync(client, SuggesterB.Value, "3");
    }

    [Theory]
    [InlineData("models:/tagolym")]
    [InlineData("models:/tagolym/champion")]
    [InlineData("runs:/only-an-id")]
    public void A_malformed_registry_uri_stops_the_start_with_a_message_naming_the_forms(string uri)
    {
        using var registry = new TestRegistry();
        using var factory = new ServiceFactory(uri, registry.Settings());

        var act = () => factory.CreateClient();

        act.Should().Throw<ArgumentException>().WithMessage($"{uri}*");
    }

    [Fact]
    public async Task A_fixed_version_serves_that_version_whatever_the_champion_is()
    {
        using var registry = new TestRegistry();
        var v1 = await registry.RegisterAsync(TestModels.ResultA);
        var v2 = await registry.RegisterAsync(TestModels.ResultB);
        await registry.PromoteAsync(v2.Version);
        await using var factory = new ServiceFactory("models:/tagolym/1", registry.Settings());
        using var client = await factory.ReadyClientAsync();

        var info = await ModelAsync(client);
        info["version"]!.GetValue<string>().Should().Be("1");
        info["runId"]!.GetValue<string>().Should().Be(v1.RunId);
        await AssertAnswersLikeAsync(client, SuggesterA.Value, "1");
    }

    [Fact]
    public async Task Latest_serves_the_highest_version_and_moves_when_a_version_is_registered()
    {
        using var registry = new TestRegistry();
        await registry.RegisterAsync(TestModels.ResultA);
        await using var factory = new ServiceFactory("models:/tagolym/latest", registry.Settings());
        using var client = await factory.ReadyClientAsync();
        (await ModelAsync(client))["version"]!.GetValue<string>().Should().Be("1");

        var v2 = await registry.RegisterAsync(TestModels.ResultB);

        await SwapLoad.EventuallyAsync(async () => (await ModelAsync(client))["version"]!.GetValue<string>() == "2");
        (await ModelAsync(client))["runId"]!.GetValue<string>().Should().Be(v2.RunId);
    }

    [Fact]
    public async Task A_run_uri_serves_the_model_logged_by_that_run()
    {
        using var registry = new TestRegistry();
        await registry.LogAsync(TestModels.ResultA);
        var runB = await registry.LogAsync(TestModels.ResultB);
        await using var factory = new ServiceFactory($"runs:/{runB}/model", registry.Settings());
        using var client = await factory.ReadyClientAsync();

        var info = await ModelAsync(client);
        info["name"]!.GetValue<string>().Should().Be("test-run");
        info["version"]!.GetValue<string>().Should().Be(runB);
        info["runId"]!.GetValue<string>().Should().Be(runB);
        await AssertAnswersLikeAsync(client, SuggesterB.Value, runB);
    }

    [Fact]
    public async Task An_unknown_model_is_not_ready_without_errors_and_serves_as_soon_as_it_is_registered_and_promoted()
    {
        using var registry = new TestRegistry();
        await using var factory = new ServiceFactory(Champion, registry.Settings());
        using var client = factory.CreateClient();
        await SwapLoad.EventuallyAsync(() => Task.FromResult(factory.Logs.Entries.Any(e => e.Message.Contains("refused"))));
        (await client.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync(Url("/model"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await client.PredictAsync("a post")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        var v1 = await registry.RegisterAsync(TestModels.ResultA);
        await Task.Delay(300); // a few polls: registered but not the champion yet
        (await client.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        await registry.PromoteAsync(v1.Version);

        await ServiceFactory.WaitReadyAsync(client);
        (await ModelAsync(client))["runId"]!.GetValue<string>().Should().Be(v1.RunId);
        factory.Logs.Entries.Count(e => e.Message.Contains("refused")).Should().Be(1, "the first load at start is refused once, polls wait quietly");
    }

    [Fact]
    public async Task An_unknown_fixed_version_serves_once_it_is_registered()
    {
        using var registry = new TestRegistry();
        await registry.RegisterAsync(TestModels.ResultA);
        await using var factory = new ServiceFactory("models:/tagolym/2", registry.Settings());
        using var client = factory.CreateClient();
        await SwapLoad.EventuallyAsync(() => Task.FromResult(factory.Logs.Entries.Any(e => e.Message.Contains("refused"))));
        (await client.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        await registry.RegisterAsync(TestModels.ResultB);

        await ServiceFactory.WaitReadyAsync(client);
        await AssertAnswersLikeAsync(client, SuggesterB.Value, "2");
    }

    [Fact]
    public async Task Without_a_champion_the_bootstrap_trains_logs_registers_and_promotes_a_first_model_which_then_serves()
    {
        using var registry = new TestRegistry();
        var settings = registry.Settings();
        settings["Model:Bootstrap:Enabled"] = "true";
        settings["Model:Bootstrap:Data"] = TestModels.SmallSample;
        await using var factory = new ServiceFactory(Champion, settings);

        using var client = await factory.ReadyClientAsync();

        var champion = await registry.Store.GetModelVersionByAliasAsync("tagolym", "champion");
        champion.Version.Should().Be("1");
        var run = await registry.Store.GetRunAsync(champion.RunId!);
        run.Info.Status.Should().Be(RunStatus.Finished);
        run.Params.Should().ContainKey("alpha");
        run.Metrics.Select(m => m.Key).Should().Contain("test_f1");
        var info = await ModelAsync(client);
        info["version"]!.GetValue<string>().Should().Be("1");
        info["runId"]!.GetValue<string>().Should().Be(champion.RunId);
        info["trainingRows"]!.GetValue<int>().Should().BeInRange(1000, 1500);
        factory.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("No model at models:/tagolym@champion")
            && e.Message.Contains("training a first model"));
        factory.Logs.Entries.Should().Contain(e => e.Message.Contains($"logged it as run {champion.RunId}")
            && e.Message.Contains("registered it as tagolym version 1 and promoted it to champion"));
    }

    [Theory]
    [InlineData("args", 0)]
    [InlineData("data", 1)]
    public async Task A_failed_registry_bootstrap_registers_nothing_and_the_service_serves_a_champion_promoted_later(string broken, int failedRuns)
    {
        using var registry = new TestRegistry();
        var bad = Path.Combine(TestModels.TemporaryDirectory(), "bad.json");
        await File.WriteAllTextAsync(bad, broken == "args" ? "{\"loss\": \"no-such-loss\"}" : "{\"not\": \"a post\"}\nnot json at all\n");
        var settings = registry.Settings();
        settings["Model:Bootstrap:Enabled"] = "true";
        settings["Model:Bootstrap:Data"] = broken == "data" ? bad : TestModels.SmallSample;
        settings["Model:Bootstrap:Args"] = broken == "args" ? bad : "config/args_fast.json";
        await using var factory = new ServiceFactory(Champion, settings);
        using var client = factory.CreateClient();
        await SwapLoad.EventuallyAsync(() => Task.FromResult(factory.Logs.Entries.Any(e => e.Message.Contains("Failed training a first model"))));

        (await client.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await registry.Store.SearchModelVersionsAsync("tagolym")).Should().BeEmpty("nothing is registered from a failed training");
        var experiments = failedRuns == 0 ? [] : new[] { (await registry.Store.GetExperimentByNameAsync(TrainingRuns.DefaultExperiment)).ExperimentId };
        var runs = new List<Run>();
        foreach (var runDirectory in experiments.SelectMany(e => Directory.GetDirectories(Path.Combine(registry.Directory, e))))
        {
            runs.Add(await registry.Store.GetRunAsync(Path.GetFileName(runDirectory)));
        }

        runs.Select(r => r.Info.Status).Should().Equal(Enumerable.Repeat(RunStatus.Failed, failedRuns), "a run whose training failed is marked FAILED");

        await registry.PromoteAsync((await registry.RegisterAsync(TestModels.ResultA)).Version);

        await ServiceFactory.WaitReadyAsync(client);
        await AssertAnswersLikeAsync(client, SuggesterA.Value, "1");
    }

    [Fact]
    public async Task For_latest_the_bootstrap_registers_a_first_version_without_moving_any_alias()
    {
        using var registry = new TestRegistry();
        var settings = registry.Settings();
        settings["Model:Bootstrap:Enabled"] = "true";
        settings["Model:Bootstrap:Data"] = TestModels.SmallSample;
        await using var factory = new ServiceFactory("models:/tagolym/latest", settings);

        using var client = await factory.ReadyClientAsync();

        var versions = await registry.Store.SearchModelVersionsAsync("tagolym");
        versions.Should().ContainSingle().Which.Aliases.Should().BeEmpty();
        (await ModelAsync(client))["runId"]!.GetValue<string>().Should().Be(versions[0].RunId);
        factory.Logs.Entries.Should().Contain(e => e.Message.Contains("registered it as tagolym version 1") && !e.Message.Contains("promoted"));
    }

    [Fact]
    public async Task With_a_champion_the_bootstrap_trains_nothing()
    {
        using var registry = new TestRegistry();
        await registry.PromoteAsync((await registry.RegisterAsync(TestModels.ResultB)).Version);
        var settings = registry.Settings();
        settings["Model:Bootstrap:Enabled"] = "true";
        settings["Model:Bootstrap:Data"] = TestModels.SmallSample;
        await using var factory = new ServiceFactory(Champion, settings);

        using var client = await factory.ReadyClientAsync();

        await AssertAnswersLikeAsync(client, SuggesterB.Value, "1");
        factory.Logs.Entries.Should().NotContain(e => e.Message.Contains("training a first model"));
        (await registry.Store.SearchModelVersionsAsync("tagolym")).Should().ContainSingle();
    }

    [Fact]
    public async Task The_bootstrap_never_makes_up_a_fixed_version()
    {
        using var registry = new TestRegistry();
        var settings = registry.Settings();
        settings["Model:Bootstrap:Enabled"] = "true";
        settings["Model:Bootstrap:Data"] = TestModels.SmallSample;
        await using var factory = new ServiceFactory("models:/tagolym/1", settings);
        using var client = factory.CreateClient();

        await SwapLoad.EventuallyAsync(() => Task.FromResult(factory.Logs.Entries.Any(e => e.Message.Contains("refused"))));

        factory.Logs.Entries.Should().NotContain(e => e.Message.Contains("training a first model"));
        (await client.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public void The_shipped_configuration_serves_the_registry_champion()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Core.Tests.Support.SharedData.RepositoryPath("src", "TagOlym.Web", "appsettings.json")));

        settings.RootElement.GetProperty("Model").GetProperty("Path").GetString().Should().Be(Champion);
        settings.RootElement.GetProperty("Tracking").GetProperty("CacheDirectory").GetString().Should().Be("stores/cache");
        new ModelOptions().Path.Should().Be(Champion);
    }

    [Theory]
    [InlineData(null, null, "/srv/tagolym/stores/model")]
    [InlineData(null, "/data/mlruns", "/data/mlruns")]
    [InlineData(null, "mlruns", "/srv/tagolym/mlruns")]
    [InlineData("http://mlflow:5000", "/data/mlruns", "http://mlflow:5000")]
    [InlineData("file:///data/mlruns", null, "file:///data/mlruns")]
    [InlineData("registry", "http://ignored:5000", "/srv/tagolym/registry")]
    public void The_tracking_store_is_the_configured_uri_else_MLFLOW_TRACKING_URI_else_stores_model_below_the_base(
        string? configured, string? variable, string expected)
    {
        var paths = Paths("/srv/tagolym");

        var uri = ModelRegistry.ResolveStoreUri(configured, paths, name => name == TrackingStores.TrackingUriVariable ? variable : null);

        uri.Should().Be(expected);
    }

    [Fact]
    public void The_cache_directory_and_the_experiment_come_from_the_configuration()
    {
        var options = Options.Create(new TrackingOptions { Uri = "http://mlflow:5000", CacheDirectory = "cache/models" });
        using var registry = new ModelRegistry(options, Paths("/srv/tagolym"), name => name == TrainingRuns.ExperimentNameVariable ? "nightly" : null);

        registry.StoreUri.Should().Be("http://mlflow:5000");
        registry.CacheDirectory.Should().Be("/srv/tagolym/cache/models");
        registry.Experiment.Should().Be("nightly");
    }

    [Fact]
    public async Task The_stamp_is_null_until_the_alias_exists_and_names_the_version_it_points_at()
    {
        using var registry = new TestRegistry();
        using var modelRegistry = new ModelRegistry(Options.Create(new TrackingOptions { Uri = registry.Directory }), Paths("/srv/tagolym"), _ => null);
        var source = new RegistryModelSource(Champion, modelRegistry, null, TimeProvider.System);

        (await source.GetStampAsync(CancellationToken.None)).Should().BeNull("no registered model yet");
        var v1 = await registry.RegisterAsync(TestModels.ResultA);
        (await source.GetStampAsync(CancellationToken.None)).Should().BeNull("no champion yet");
        await registry.PromoteAsync(v1.Version);
        var first = await source.GetStampAsync(CancellationToken.None);
        await registry.PromoteAsync((await registry.RegisterAsync(TestModels.ResultB)).Version);
        var second = await source.GetStampAsync(CancellationToken.None);

        first.Should().NotBeNull();
        second.Should().NotBeNull().And.NotBe(first);
        var loaded = await source.LoadAsync(CancellationToken.None);
        loaded.Stamp.Should().Be(second);
        loaded.Identity.Should().Be(new ModelIdentity("tagolym", "2", (await registry.Store.GetModelVersionAsync("tagolym", "2")).RunId));
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> ModelAsync(HttpClient client) =>
        await (await client.GetAsync(Url("/model"))).ReadJsonAsync();

    private static async Task AssertAnswersLikeAsync(HttpClient client, TagSuggester expected, string version)
    {
        var post = TestModels.Posts[3];
        using var response = await client.PostAsync(Url("/predict?scores=all"), PredictBody(post));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await response.ReadAsAsync<PredictResponse>())!;
        body.Model.Version.Should().Be(version);
        body.Predictions[0].Scores!.Select(s => s.Score).Should().Equal(expected.Suggest(post).Scores);
    }

    private static ServicePaths Paths(string baseDirectory) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["BaseDirectory"] = baseDirectory }).Build(),
            new Environment());

    private sealed class Environment : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = "/";

        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();

        public string ApplicationName { get; set; } = "tests";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();

        public string ContentRootPath { get; set; } = "/";

        public string EnvironmentName { get; set; } = "Development";
    }
}
