using System.Text.Json.Nodes;
using TagOlym.Core.Tests.Models;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Tracking;
using TagOlym.Core.Training;

namespace TagOlym.Core.Tests.Tracking;

/// <summary>
/// Where MLflow 2.9.2 itself is the judge: the stores against the real server (sqlite and file backends), a FileStore
/// that MLflow wrote read by <see cref="FileTrackingStore"/>, and a store TagOlym wrote read by MLflow.
/// </summary>
[Collection(MlflowServersDefinition.Name)]
public sealed class MlflowServerTests(TrainedModelFixture fixture, MlflowServers servers) : IClassFixture<TrainedModelFixture>
{
    private static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<(string RunId, string Source)> LogRunAsync(ITrackingStore store, string experiment)
    {
        var run = await TrainingRuns.StartAsync(store, experiment, "fidelity");
        return (run.RunId, run.ArtifactUri + "/model");
    }

    [MlflowTheory]
    [InlineData(MlflowServer.Sqlite)]
    [InlineData(MlflowServer.File)]
    public async Task Aliases_come_from_the_registered_model_because_the_sql_backend_leaves_them_out_of_a_version_search(string backend)
    {
        using var store = servers[backend].OpenStore();
        var name = UniqueName("aliases");
        var (runId, source) = await LogRunAsync(store, name);
        await store.CreateRegisteredModelAsync(name);
        await store.CreateModelVersionAsync(name, source, runId);
        await store.CreateModelVersionAsync(name, source, runId);
        await store.SetAliasAsync(name, "champion", "2");

        var searched = await store.SearchModelVersionsAsync(name);
        if (backend == MlflowServer.Sqlite)
        {
            searched.Should().OnlyContain(v => v.Aliases.Count == 0, "MLflow 2.9.2's sqlite backend omits aliases from model-versions/search");
        }

        (await store.GetRegisteredModelAsync(name)).Aliases.Should().Equal(new Dictionary<string, string> { ["champion"] = "2" });
        (await store.SearchRegisteredModelsAsync()).Single(m => m.Name == name).Aliases.Should().Equal(new Dictionary<string, string> { ["champion"] = "2" });
    }

    [MlflowFact]
    public async Task A_store_where_MLflow_moved_an_alias_shows_the_move()
    {
        var server = servers[MlflowServer.File];
        using var rest = server.OpenStore();
        var name = UniqueName("moved");
        var (runId, source) = await LogRunAsync(rest, name);
        await rest.CreateRegisteredModelAsync(name);
        await rest.CreateModelVersionAsync(name, source, runId);
        await rest.CreateModelVersionAsync(name, source, runId);
        await rest.SetAliasAsync(name, "champion", "1");
        // a stage transition rewrites version 1's meta.yaml with the aliases it has now (champion)
        await rest.SendRawAsync(HttpMethod.Post, "/api/2.0/mlflow/model-versions/transition-stage",
            new StringContent(new JsonObject { ["name"] = name, ["version"] = "1", ["stage"] = "Staging", ["archive_existing_versions"] = false }.ToJsonString(),
                System.Text.Encoding.UTF8, "application/json"), default);
        await rest.SetAliasAsync(name, "champion", "2");
        File.ReadAllText(Path.Combine(server.StoreDirectory!, "models", name, "version-1", "meta.yaml")).Should().Contain("aliases:\n- champion\n",
            "MLflow left the old alias in version 1's meta.yaml");

        var local = new FileTrackingStore(server.StoreDirectory!);

        (await local.GetModelVersionAsync(name, "1")).Aliases.Should().BeEmpty();
        (await local.GetModelVersionAsync(name, "2")).Aliases.Should().Equal("champion");
        (await local.GetModelVersionByAliasAsync(name, "champion")).Version.Should().Be("2");
        (await rest.GetModelVersionAsync(name, "1")).Aliases.Should().BeEmpty("MLflow itself says so");
    }

    [MlflowTheory]
    [InlineData(MlflowServer.Sqlite)]
    [InlineData(MlflowServer.File)]
    public async Task The_resolver_serves_READY_versions_only(string backend)
    {
        var server = servers[backend];
        using var store = server.OpenStore();
        var name = UniqueName("pending");
        var (runId, source) = await LogRunAsync(store, name);
        await store.CreateRegisteredModelAsync(name);
        await store.CreateModelVersionAsync(name, source, runId);
        await store.CreateModelVersionAsync(name, source, runId);
        await store.CreateModelVersionAsync(name, source, runId);
        await store.SetAliasAsync(name, "champion", "2");
        server.SetVersionStatus(name, "2", "PENDING_REGISTRATION");
        server.SetVersionStatus(name, "3", "FAILED_REGISTRATION");
        (await store.GetModelVersionAsync(name, "2")).Status.Should().Be("PENDING_REGISTRATION");
        var resolver = new ModelUriResolver(store, SampleData.TemporaryDirectory());

        (await resolver.FindAsync(ModelUri.Parse($"models:/{name}/latest"))).Version!.Version.Should().Be("1", "latest is the highest READY version");
        (await resolver.FindAsync(ModelUri.Parse($"models:/{name}/1"))).Stamp.Should().Be($"models:/{name}/1");
        await resolver.Invoking(r => r.FindAsync(ModelUri.Parse($"models:/{name}@champion"))).Should().ThrowAsync<ResourceDoesNotExistException>().WithMessage("*PENDING_REGISTRATION*");
        await resolver.Invoking(r => r.FindAsync(ModelUri.Parse($"models:/{name}/3"))).Should().ThrowAsync<ResourceDoesNotExistException>().WithMessage("*FAILED_REGISTRATION*");

        server.SetVersionStatus(name, "2", "READY");
        (await resolver.FindAsync(ModelUri.Parse($"models:/{name}@champion"))).Version!.Version.Should().Be("2");
        (await resolver.FindAsync(ModelUri.Parse($"models:/{name}/latest"))).Version!.Version.Should().Be("2");
    }

    [MlflowFact]
    public async Task MLflow_reads_a_run_TagOlym_wrote_in_a_file_store_with_its_user_params_logged_model_and_dataset()
    {
        var directory = SampleData.TemporaryDirectory();
        var local = new FileTrackingStore(directory);
        var tracked = await TrackedTraining.RunAsync(
            new TrackingTarget(local, "written-by-tagolym", "written", "tests") { RegisterAs = "written", PromoteTo = "champion" }, () => fixture.Result);
        var run = tracked.Run;

        using var server = MlflowServer.Start(MlflowServer.File, directory);
        using var rest = server.OpenStore();
        var answer = JsonNode.Parse(await rest.SendRawAsync(HttpMethod.Get, "/api/2.0/mlflow/runs/get?run_id=" + run.RunId, null, default))!["run"]!;

        answer["info"]!["user_id"]!.GetValue<string>().Should().Be(Environment.UserName);
        answer["info"]!["status"]!.GetValue<string>().Should().Be("FINISHED");
        var parameters = answer["data"]!["params"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
        parameters["alpha"].Should().Be("1e-05");
        parameters["l1_ratio"].Should().Be("0.05");
        parameters["ngram_max"].Should().Be("2");
        var tags = answer["data"]!["tags"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
        JsonNode.Parse(tags[MlflowTags.LoggedModels])![0]!["flavors"]!["tagolym"]!["model_file"]!.GetValue<string>().Should().Be("tagolym.model");
        tags[MlflowTags.GitCommit].Should().MatchRegex("^[0-9a-f]{40}$");
        var input = answer["inputs"]!["dataset_inputs"]!.AsArray().Should().ContainSingle().Subject!;
        input["tags"]![0]!["key"]!.GetValue<string>().Should().Be(MlflowTags.DatasetContext);
        input["tags"]![0]!["value"]!.GetValue<string>().Should().Be("training");
        var dataset = input["dataset"]!;
        dataset["name"]!.GetValue<string>().Should().Be(Path.GetFileName(fixture.Result.Validation.Source));
        dataset["digest"]!.GetValue<string>().Should().HaveLength(8);
        dataset["source_type"]!.GetValue<string>().Should().Be("local");
        JsonNode.Parse(dataset["source"]!.GetValue<string>())!["uri"]!.GetValue<string>().Should().StartWith("file:///");
        JsonNode.Parse(dataset["profile"]!.GetValue<string>())!["num_rows"]!.GetValue<long>().Should().Be(fixture.Result.Validation.RowsRead);
        (await rest.GetModelVersionByAliasAsync("written", "champion")).RunId.Should().Be(run.RunId);
    }

    [MlflowTheory]
    [InlineData(MlflowServer.Sqlite)]
    [InlineData(MlflowServer.File)]
    public async Task The_server_records_the_dataset_and_the_logged_model_TagOlym_sends(string backend)
    {
        using var store = servers[backend].OpenStore();
        var run = (await TrackedTraining.RunAsync(new TrackingTarget(store, UniqueName("inputs"), "inputs", "tests"), () => fixture.Result)).Run;

        var answer = JsonNode.Parse(await store.SendRawAsync(HttpMethod.Get, "/api/2.0/mlflow/runs/get?run_id=" + run.RunId, null, default))!["run"]!;

        answer["info"]!["user_id"]!.GetValue<string>().Should().Be(Environment.UserName);
        var dataset = answer["inputs"]!["dataset_inputs"]!.AsArray().Should().ContainSingle().Subject!["dataset"]!;
        dataset["name"]!.GetValue<string>().Should().Be(Path.GetFileName(fixture.Result.Validation.Source));
        JsonNode.Parse(dataset["profile"]!.GetValue<string>())!["num_rows"]!.GetValue<long>().Should().Be(fixture.Result.Validation.RowsRead);
        var tags = answer["data"]!["tags"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
        JsonNode.Parse(tags[MlflowTags.LoggedModels])![0]!["run_id"]!.GetValue<string>().Should().Be(run.RunId);
    }

    [Fact]
    public void Params_are_written_as_Pythons_str_writes_them()
    {
        var parsed = JsonNode.Parse("""{"alpha": 3e-6, "l1_ratio": 0.0, "ngram_max": 2, "eta0": 0.01, "average": null, "stem": true, "loss": "log_loss", "big": 1e16}""")!.AsObject();
        var built = new JsonObject { ["alpha"] = 3e-6, ["l1_ratio"] = 0.0, ["ngram_max"] = 2, ["eta0"] = 0.01 };
        var expected = new Dictionary<string, string>
        {
            ["alpha"] = "3e-06", ["l1_ratio"] = "0.0", ["ngram_max"] = "2", ["eta0"] = "0.01", ["average"] = "None", ["stem"] = "True", ["loss"] = "log_loss", ["big"] = "1e+16",
        };

        TrainingRuns.Params(parsed).Should().Equal(expected);
        TrainingRuns.Params(built).Should().Equal(expected.Where(e => built.ContainsKey(e.Key)).ToDictionary());
    }
}
