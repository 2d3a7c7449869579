using System.Text.RegularExpressions;
using TagOlym.Core.Tracking;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Tracking;

/// <summary>The file store writes what MLflow 2.9.2's FileStore writes, and reads what it wrote.</summary>
public sealed class FileTrackingStoreTests
{
    private static readonly IReadOnlyDictionary<string, RecordedFileStore> Recorded = RecordedFileStore.Load();

    /// <summary>Store (A): written by MLflow's own Python client into a local directory.</summary>
    private static RecordedFileStore MlflowLocal => Recorded["/srv/mlflow/mlruns-local"];

    /// <summary>Writes through our store what MLflow's client wrote into store (A).</summary>
    private static async Task<(FileTrackingStore Store, string ExperimentId, string RunId)> WriteLikeStoreA(string directory)
    {
        var store = new FileTrackingStore(directory);
        var experimentId = await store.CreateExperimentAsync("local-exp", new Dictionary<string, string> { ["team"] = "vision" });
        var run = await store.CreateRunAsync(experimentId, "train-1", 1700000000000, new Dictionary<string, string> { ["mlflow.user"] = "ci-bot" });
        await store.LogBatchAsync(run.RunId, [new Metric("loss", 0.9, 1700000001000, 0), new Metric("loss", 0.45, 1700000002000, 1)],
            new Dictionary<string, string> { ["epochs"] = "2", ["learning_rate"] = "0.01" });
        await store.LogBatchAsync(run.RunId, [new Metric("accuracy", 0.875, 1700000003000, 2)], tags: new Dictionary<string, string> { ["model_type"] = "resnet" });
        await store.LogBatchAsync(run.RunId, tags: new Dictionary<string, string> { ["stage"] = "train" });
        var mlmodel = Path.Combine(SampleData.TemporaryDirectory(), "MLmodel");
        await File.WriteAllTextAsync(mlmodel, MlflowLocal.Files.Single(f => f.Key.EndsWith("/MLmodel", StringComparison.Ordinal)).Value);
        await store.LogArtifactAsync(run.RunId, mlmodel, "model/MLmodel");
        await store.UpdateRunAsync(run.RunId, RunStatus.Finished, 1700000060000);
        await store.CreateRegisteredModelAsync("local-model", "demo", new Dictionary<string, string> { ["owner"] = "ci-bot" });
        await store.CreateModelVersionAsync("local-model", run.ArtifactUri + "/model", run.RunId);
        await store.SetAliasAsync("local-model", "champion", "1");
        return (store, experimentId, run.RunId);
    }

    private static string Normalize(string text, string experimentId, string runId) =>
        text.Replace(experimentId, "<exp>", StringComparison.Ordinal).Replace(runId, "<run>", StringComparison.Ordinal);

    [Fact]
    public async Task The_tree_is_the_one_MLflow_writes()
    {
        var directory = SampleData.TemporaryDirectory();
        var (_, experimentId, runId) = await WriteLikeStoreA(directory);
        var recordedExperiment = MlflowLocal.Tree.First(e => Regex.IsMatch(e, @"^\d{6,}/$")).TrimEnd('/');
        var recordedRun = MlflowLocal.Tree.Select(e => Regex.Match(e, @"^\d+/([0-9a-f]{32})/$")).First(m => m.Success).Groups[1].Value;

        var ours = Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(directory, p).Replace('\\', '/') + (Directory.Exists(p) ? "/" : ""))
            .Where(p => p != ".tagolym.lock") // our lock file: MLflow lists directories only, and ignores it
            .Select(p => Normalize(p, experimentId, runId));
        var theirs = MlflowLocal.Tree.Select(p => Normalize(p, recordedExperiment, recordedRun));

        // MLflow's client made version-1/ without tags/; we create the (empty) tags/ directory with each version
        ours.Where(p => p != "models/local-model/version-1/tags/").Should().BeEquivalentTo(theirs);
    }

    [Fact]
    public async Task Every_file_has_MLflows_content_and_format()
    {
        var directory = SampleData.TemporaryDirectory();
        var (_, experimentId, runId) = await WriteLikeStoreA(directory);
        var recordedExperiment = MlflowLocal.Tree.First(e => Regex.IsMatch(e, @"^\d{6,}/$")).TrimEnd('/');
        var recordedRun = MlflowLocal.Tree.Select(e => Regex.Match(e, @"^\d+/([0-9a-f]{32})/$")).First(m => m.Success).Groups[1].Value;
        var rootUri = new Uri(directory).AbsoluteUri;
        MlflowLocal.Files.Should().HaveCount(17, "store (A) records 17 files");

        foreach (var (path, recorded) in MlflowLocal.Files)
        {
            var oursPath = Path.Combine(directory, path.Replace(recordedExperiment, experimentId, StringComparison.Ordinal).Replace(recordedRun, runId, StringComparison.Ordinal));
            var ours = Normalize(await File.ReadAllTextAsync(oursPath), experimentId, runId).Replace(rootUri, "<root>", StringComparison.Ordinal);
            var theirs = Normalize(recorded, recordedExperiment, recordedRun).Replace("file:///srv/mlflow/mlruns-local", "<root>", StringComparison.Ordinal);
            if (path.EndsWith("meta.yaml", StringComparison.Ordinal))
            {
                // same keys, in the same (sorted) order, same value formats; times differ, and the recorded version went to
                // Production after its alias was set, which rewrote the version's and the model's meta.yaml with the aliases
                // of the moment (setting an alias alone writes aliases/champion, as MLflow's FileStore does)
                Keys(ours).Should().Equal(Keys(theirs), path);
                Masked(ours).Should().Be(Masked(theirs).Replace("current_stage: Production", "current_stage: None", StringComparison.Ordinal)
                    .Replace("aliases:\n  champion: '1'\n", "aliases: {}\n", StringComparison.Ordinal)
                    .Replace("aliases:\n- champion\n", "aliases: []\n", StringComparison.Ordinal), path);
            }
            else
            {
                ours.Should().Be(theirs, path);
            }
        }
    }

    private static IEnumerable<string> Keys(string yaml) =>
        yaml.Split('\n').Where(l => l.Length > 0 && l[0] != ' ' && l[0] != '-').Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]);

    /// <summary>Millisecond times (13 digits) replaced: they are when the store was written.</summary>
    private static string Masked(string yaml) => Regex.Replace(yaml, @"\b1[78]\d{11}\b", m => m.Value.StartsWith("1700000", StringComparison.Ordinal) ? m.Value : "<time>");

    [Fact]
    public async Task It_reads_a_store_MLflow_wrote()
    {
        var directory = SampleData.TemporaryDirectory();
        MlflowLocal.WriteTo(directory);
        var store = new FileTrackingStore(directory);

        var experiment = await store.GetExperimentByNameAsync("local-exp");
        experiment.Tags.Should().Equal(new Dictionary<string, string> { ["team"] = "vision" });
        var run = await store.GetRunAsync("e23d2aeee95b4e9da4c4f127ac8c4fe1");
        run.Info.Should().BeEquivalentTo(new RunInfo("e23d2aeee95b4e9da4c4f127ac8c4fe1", experiment.ExperimentId, "train-1", "ci-bot", RunStatus.Finished,
            1700000000000, 1700000060000, new Uri(Path.Combine(directory, experiment.ExperimentId, run.Info.RunId, "artifacts")).AbsoluteUri, "active"));
        run.Params.Should().Equal(new Dictionary<string, string> { ["epochs"] = "2", ["learning_rate"] = "0.01" });
        run.Metrics.Should().BeEquivalentTo([new Metric("accuracy", 0.875, 1700000003000, 2), new Metric("loss", 0.45, 1700000002000, 1)]);
        (await store.ListArtifactsAsync(run.Info.RunId, "model")).Should().Equal(new ArtifactEntry("model/MLmodel", false, 33));
        var champion = await store.GetModelVersionByAliasAsync("local-model", "champion");
        champion.Version.Should().Be("1");
        champion.RunId.Should().Be(run.Info.RunId);
        champion.CurrentStage.Should().Be("Production");
        var model = await store.GetRegisteredModelAsync("local-model");
        model.Aliases.Should().Equal(new Dictionary<string, string> { ["champion"] = "1" });
        model.Description.Should().Be("demo");
        model.Tags.Should().Equal(new Dictionary<string, string> { ["owner"] = "ci-bot" });
    }

    [Fact]
    public async Task A_new_store_has_MLflows_Default_experiment()
    {
        var directory = SampleData.TemporaryDirectory();
        _ = new FileTrackingStore(directory);

        var meta = await File.ReadAllTextAsync(Path.Combine(directory, "0", "meta.yaml"));
        Masked(meta).Should().Be(Masked(MlflowLocal.Files["0/meta.yaml"]).Replace("file:///srv/mlflow/mlruns-local", new Uri(directory).AbsoluteUri, StringComparison.Ordinal));
        Directory.Exists(Path.Combine(directory, ".trash")).Should().BeTrue();
    }

    [Fact]
    public async Task Params_do_not_change_and_unknown_things_are_reported()
    {
        var store = new FileTrackingStore(SampleData.TemporaryDirectory());
        var experimentId = await store.CreateExperimentAsync("e");
        var run = await store.CreateRunAsync(experimentId, null, 1, null);
        await store.LogBatchAsync(run.RunId, parameters: new Dictionary<string, string> { ["alpha"] = "0.1" });
        await store.LogBatchAsync(run.RunId, parameters: new Dictionary<string, string> { ["alpha"] = "0.1" });

        await store.Invoking(s => s.LogBatchAsync(run.RunId, parameters: new Dictionary<string, string> { ["alpha"] = "0.2" }))
            .Should().ThrowAsync<InvalidParameterValueException>().WithMessage("Changing param values is not allowed*");
        await store.Invoking(s => s.CreateExperimentAsync("e")).Should().ThrowAsync<ResourceAlreadyExistsException>();
        await store.Invoking(s => s.GetRunAsync("00000000000000000000000000000000")).Should().ThrowAsync<ResourceDoesNotExistException>();
        await store.Invoking(s => s.GetRunAsync("../..")).Should().ThrowAsync<ResourceDoesNotExistException>();
        await store.Invoking(s => s.GetExperimentByNameAsync("nope")).Should().ThrowAsync<ResourceDoesNotExistException>();
        await store.Invoking(s => s.LogBatchAsync(run.RunId, tags: new Dictionary<string, string> { ["../escape"] = "x" })).Should().ThrowAsync<InvalidParameterValueException>();
        await store.Invoking(s => s.CreateModelVersionAsync("missing", "file:///x", null)).Should().ThrowAsync<ResourceDoesNotExistException>();
        await store.CreateRegisteredModelAsync("m");
        await store.Invoking(s => s.GetModelVersionByAliasAsync("m", "champion")).Should().ThrowAsync<ResourceDoesNotExistException>();
        await store.Invoking(s => s.SetAliasAsync("m", "champion", "1")).Should().ThrowAsync<ResourceDoesNotExistException>();
        (await store.GetRunAsync(run.RunId)).Info.RunName.Should().NotBeEmpty("a run without a name gets one, as in MLflow");
    }

    [Fact]
    public async Task Metric_values_are_written_as_Python_writes_floats_and_slashed_keys_become_directories()
    {
        var directory = SampleData.TemporaryDirectory();
        var store = new FileTrackingStore(directory);
        var run = await store.CreateRunAsync(await store.CreateExperimentAsync("e"), "r", 1, null);
        await store.LogBatchAsync(run.RunId, [new Metric("a/b", 1, 5, 0), new Metric("a/b", 1e-5, 6, 1), new Metric("a/b", double.NaN, 7, 2)]);

        var file = Path.Combine(directory, run.ExperimentId, run.RunId, "metrics", "a", "b");
        (await File.ReadAllTextAsync(file)).Should().Be("5 1.0 0\n6 1e-05 1\n7 nan 2\n");
        (await store.GetRunAsync(run.RunId)).Metrics.Should().ContainSingle(m => m.Key == "a/b" && m.Step == 2 && double.IsNaN(m.Value));
    }

    [Fact]
    public async Task Moving_an_alias_rewrites_only_the_alias_file_as_MLflow_does()
    {
        var directory = SampleData.TemporaryDirectory();
        var store = new FileTrackingStore(directory);
        await store.CreateRegisteredModelAsync("m");
        await store.CreateModelVersionAsync("m", "file:///a", null);
        await store.CreateModelVersionAsync("m", "file:///b", null);
        var modelMeta = await File.ReadAllTextAsync(Path.Combine(directory, "models", "m", "meta.yaml"));

        await store.SetAliasAsync("m", "champion", "1");
        await store.SetAliasAsync("m", "champion", "2");

        (await store.GetModelVersionByAliasAsync("m", "champion")).Source.Should().Be("file:///b");
        (await store.GetModelVersionAsync("m", "1")).Aliases.Should().BeEmpty();
        (await store.GetModelVersionAsync("m", "2")).Aliases.Should().Equal("champion");
        (await store.GetRegisteredModelAsync("m")).Aliases.Should().Equal(new Dictionary<string, string> { ["champion"] = "2" });
        (await File.ReadAllTextAsync(Path.Combine(directory, "models", "m", "aliases", "champion"))).Should().Be("2");
        (await File.ReadAllTextAsync(Path.Combine(directory, "models", "m", "meta.yaml"))).Should().Be(modelMeta, "MLflow's set_registered_model_alias writes the alias file alone");
        (await store.SearchModelVersionsAsync("m")).Select(v => v.Version).Should().Equal("1", "2");
    }

    [Fact]
    public async Task Aliases_are_read_from_the_aliases_folder_not_from_a_versions_meta_yaml()
    {
        // store A as MLflow wrote it (version 1's meta.yaml lists champion), then MLflow moving champion to a version 2:
        // its FileStore writes aliases/champion alone, and version 1's meta.yaml keeps saying champion
        var directory = SampleData.TemporaryDirectory();
        MlflowLocal.WriteTo(directory);
        var versionDirectory = Path.Combine(directory, "models", "local-model", "version-2");
        Directory.CreateDirectory(versionDirectory);
        await File.WriteAllTextAsync(Path.Combine(versionDirectory, "meta.yaml"),
            MlflowLocal.Files["models/local-model/version-1/meta.yaml"].Replace("\nversion: 1\n", "\nversion: 2\n", StringComparison.Ordinal).Replace("aliases:\n- champion\n", "aliases: []\n", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "local-model", "aliases", "champion"), "2");
        var store = new FileTrackingStore(directory);

        (await store.GetModelVersionAsync("local-model", "1")).Aliases.Should().BeEmpty();
        (await store.GetModelVersionAsync("local-model", "2")).Aliases.Should().Equal("champion");
        (await store.SearchModelVersionsAsync("local-model")).Single(v => v.Version == "1").Aliases.Should().BeEmpty();
        (await store.GetModelVersionByAliasAsync("local-model", "champion")).Version.Should().Be("2");
    }

    public static TheoryData<string, string> PyYamlScalars()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(TestData.Path("pyyaml_scalars.jsonl")))
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(line)!;
            data.Add(json["value"]!.GetValue<string>(), json["yaml"]!.GetValue<string>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PyYamlScalars))]
    public void Yaml_is_written_as_MLflows_PyYAML_writes_it_and_reads_back_the_same(string value, string expected)
    {
        var written = MlflowYaml.Write(new Dictionary<string, object?> { ["k"] = value });

        written.Should().Be(expected);
        MlflowYaml.Read(written).GetString("k").Should().Be(value);
    }
}
