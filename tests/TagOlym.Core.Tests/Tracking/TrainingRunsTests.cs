using TagOlym.Core.Models;
using TagOlym.Core.Tests.Models;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Tracking;

namespace TagOlym.Core.Tests.Tracking;

/// <summary>
/// A trained model logged, registered, promoted and loaded back by URI, on both backends: the loaded model predicts
/// exactly as the one that was logged.
/// </summary>
public sealed class TrainingRunsTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    public static TheoryData<string> Backends => new() { "file", "rest" };

    private static (ITrackingStore Store, FakeMlflowServer? Server) Open(string backend, string directory)
    {
        if (backend == "file")
        {
            return (new FileTrackingStore(Path.Combine(directory, "store")), null);
        }

        var server = new FakeMlflowServer(directory);
        return (new MlflowRestStore(new Uri("http://mlflow.test:5000"), server, retry: MlflowRetryPolicy.None), server);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_logged_model_loads_back_by_every_kind_of_uri_and_predicts_exactly_as_before(string backend)
    {
        var directory = SampleData.TemporaryDirectory();
        var (store, server) = Open(backend, directory);
        using var _ = store;
        using var __ = server;
        var run = await TrainingRuns.StartAsync(store, "tagolym-tests", "roundtrip");
        await TrainingRuns.LogTrainingAsync(store, run.RunId, fixture.Result.Model, fixture.Result.Metrics);
        await store.UpdateRunAsync(run.RunId, RunStatus.Finished, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var version = await TrainingRuns.RegisterAsync(store, run.RunId);
        await TrainingRuns.PromoteAsync(store, TrainingRuns.DefaultModelName, version.Version);

        var logged = await store.GetRunAsync(run.RunId);
        logged.Info.Status.Should().Be(RunStatus.Finished);
        logged.Params["ngram_max"].Should().Be("2");
        logged.Params["class_weight"].Should().Be("balanced");
        logged.Params["stem"].Should().Be("True");
        logged.Tags[MlflowTags.RunName].Should().Be("roundtrip");
        logged.Tags.Should().ContainKeys(MlflowTags.User, MlflowTags.SourceName);
        version.Version.Should().Be("1");
        version.Source.Should().Be(logged.Info.ArtifactUri + "/model");
        if (backend == "file")
        {
            logged.Metrics.Should().Contain(m => m.Key == "test_f1" && m.Value == fixture.Result.Metrics["test"].Overall.F1);
        }

        var original = new TagSuggester(fixture.Result.Model);
        var resolver = new ModelUriResolver(store, Path.Combine(directory, "cache"));
        foreach (var uri in new[] { $"runs:/{run.RunId}/model", "models:/tagolym/1", "models:/tagolym@champion", "models:/tagolym/latest" })
        {
            var path = await resolver.ResolveAsync(uri);
            var reloaded = new TagSuggester(TagModel.Load(path));
            foreach (var post in TrainedModelFixture.Posts)
            {
                reloaded.Suggest(post).Scores.Should().Equal(original.Suggest(post).Scores, uri);
                reloaded.Suggest(post).Tags.Should().Equal(original.Suggest(post).Tags, uri);
            }

            if (backend == "rest")
            {
                path.Should().StartWith(Path.Combine(directory, "cache"), "remote artifacts are downloaded into the cache");
            }
        }

        if (server is not null)
        {
            // resolved again: the alias is asked and the folder listed, but the cached files are not downloaded again
            var before = server.Requests;
            await resolver.ResolveAsync("models:/tagolym@champion");
            server.Requests.Should().Be(before + 2);
        }

        await resolver.Invoking(r => r.ResolveAsync("models:/tagolym@challenger")).Should().ThrowAsync<ResourceDoesNotExistException>();
        await resolver.Invoking(r => r.ResolveAsync("models:/tagolym/9")).Should().ThrowAsync<ResourceDoesNotExistException>();
        (await resolver.ResolveAsync("plain/path.model")).Should().Be("plain/path.model");
    }

    [Fact]
    public void The_MLmodel_descriptor_names_the_format_the_labels_and_the_file()
    {
        var descriptor = TrainingRuns.Describe(fixture.Result.Model, "abc");
        var yaml = descriptor.ToYaml();

        yaml.Should().StartWith("artifact_path: model\nflavors:\n  tagolym:\n    format_version: 2\n    labels:\n    - algebra\n");
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
