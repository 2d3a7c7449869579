using TagOlym.Core.Models;
using TagOlym.Core.Tests.Models;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Tracking;

namespace TagOlym.Core.Tests.Tracking;

/// <summary>
/// A trained model logged, registered, promoted and loaded back by URI, on both backends: the loaded model predicts
/// exactly as the one that was logged.
/// </summary>
[Collection(MlflowServersDefinition.Name)]
public sealed class TrainingRunsTests(TrainedModelFixture fixture, MlflowServers servers) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public async Task In_a_local_file_store_a_logged_model_loads_back_by_every_kind_of_uri_and_predicts_exactly_as_before()
    {
        var directory = SampleData.TemporaryDirectory();
        using var store = new FileTrackingStore(Path.Combine(directory, "store"));
        await RoundTripAsync(store, directory, remote: false);
    }

    [MlflowTheory]
    [InlineData(MlflowServer.Sqlite)]
    [InlineData(MlflowServer.File)]
    public async Task On_the_real_MLflow_server_a_logged_model_loads_back_by_every_kind_of_uri_and_predicts_exactly_as_before(string backend)
    {
        using var store = servers[backend].OpenStore();
        await RoundTripAsync(store, SampleData.TemporaryDirectory(), remote: true, modelName: "roundtrip-" + Guid.NewGuid().ToString("N")[..8]);
    }

    private async Task RoundTripAsync(ITrackingStore store, string directory, bool remote, string modelName = TrainingRuns.DefaultModelName)
    {
        var run = await TrainingRuns.StartAsync(store, "tagolym-tests", "roundtrip");
        await TrainingRuns.LogTrainingAsync(store, run.RunId, fixture.Result.Model, fixture.Result.Metrics);
        await store.UpdateRunAsync(run.RunId, RunStatus.Finished, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var version = await TrainingRuns.RegisterAsync(store, run.RunId, modelName);
        await TrainingRuns.PromoteAsync(store, modelName, version.Version);

        var logged = await store.GetRunAsync(run.RunId);
        logged.Info.Status.Should().Be(RunStatus.Finished);
        logged.Info.UserId.Should().Be(Environment.UserName, "runs/create sends user_id as MLflow's client does");
        logged.Params["ngram_max"].Should().Be("2");
        logged.Params["alpha"].Should().Be("1e-05", "a float param is written as Python writes it");
        logged.Params["l1_ratio"].Should().Be("0.05");
        logged.Params["class_weight"].Should().Be("balanced");
        logged.Params["stem"].Should().Be("True");
        logged.Tags[MlflowTags.RunName].Should().Be("roundtrip");
        logged.Tags.Should().ContainKeys(MlflowTags.User, MlflowTags.SourceName);
        logged.Tags[MlflowTags.GitCommit].Should().MatchRegex("^[0-9a-f]{40}$", "the tests run inside the repository's git work tree");
        var history = System.Text.Json.Nodes.JsonNode.Parse(logged.Tags[MlflowTags.LoggedModels])!.AsArray();
        history.Should().ContainSingle();
        history[0]!["artifact_path"]!.GetValue<string>().Should().Be("model");
        history[0]!["run_id"]!.GetValue<string>().Should().Be(run.RunId);
        history[0]!["flavors"]!["tagolym"]!["model_file"]!.GetValue<string>().Should().Be("tagolym.model");
        version.Source.Should().Be(logged.Info.ArtifactUri + "/model");
        logged.Metrics.Should().Contain(m => m.Key == "test_f1" && m.Value == fixture.Result.Metrics["test"].Overall.F1);

        var original = new TagSuggester(fixture.Result.Model);
        var resolver = new ModelUriResolver(store, Path.Combine(directory, "cache"));
        foreach (var uri in new[] { $"runs:/{run.RunId}/model", $"models:/{modelName}/{version.Version}", $"models:/{modelName}@champion", $"models:/{modelName}/latest" })
        {
            var path = await resolver.ResolveAsync(uri);
            var reloaded = new TagSuggester(TagModel.Load(path));
            foreach (var post in TrainedModelFixture.Posts)
            {
                reloaded.Suggest(post).Scores.Should().Equal(original.Suggest(post).Scores, uri);
                reloaded.Suggest(post).Tags.Should().Equal(original.Suggest(post).Tags, uri);
            }

            if (remote)
            {
                path.Should().StartWith(Path.Combine(directory, "cache"), "remote artifacts are downloaded into the cache");
            }
        }

        await resolver.Invoking(r => r.ResolveAsync($"models:/{modelName}@challenger")).Should().ThrowAsync<ResourceDoesNotExistException>();
        await resolver.Invoking(r => r.ResolveAsync($"models:/{modelName}/9")).Should().ThrowAsync<ResourceDoesNotExistException>();
        (await resolver.ResolveAsync("plain/path.model")).Should().Be("plain/path.model");
    }

    [Fact]
    public void The_MLmodel_descriptor_names_the_format_the_labels_and_the_file()
    {
        var descriptor = TrainingRuns.Describe(fixture.Result.Model, "abc");
        var yaml = descriptor.ToYaml();

        yaml.Should().StartWith("artifact_path: model\nflavors:\n  tagolym:\n    format_version: 3\n    labels:\n    - algebra\n");
        yaml.Should().Contain("run_id: abc\n");
        ModelDescriptor.ModelFileOf(yaml).Should().Be("tagolym.model");
        FluentActions.Invoking(() => ModelDescriptor.ModelFileOf("artifact_path: model\nflavors:\n  custom:\n    version: 1\n"))
            .Should().Throw<InvalidDataException>().WithMessage("*tagolym*");
    }

    [Theory]
    [InlineData("runs:/abc/model", "runs", "abc", null, null, "model")]
    [InlineData("models:/tagolym/3", "models", "tagolym", "3", null, null)]
    [InlineData("models:/tagolym/latest", "models", "tagolym", "latest", null, null)]
    [InlineData("models:/tagolym@champion", "models", "tagolym", null, "champion", null)]
    public void Model_uris_parse(string text, string scheme, string name, string? version, string? alias, string? artifactPath)
    {
        ModelUri.Parse(text).Should().Be(new ModelUri(scheme, name, version, alias, artifactPath));
        ModelUri.Parse(text).ToString().Should().Be(text);
    }

    [Theory]
    [InlineData("runs:/abc")]
    [InlineData("models:/tagolym")]
    [InlineData("models:/tagolym/v3")]
    public void Malformed_model_uris_are_refused(string text) =>
        FluentActions.Invoking(() => ModelUri.Parse(text)).Should().Throw<ArgumentException>();
}
