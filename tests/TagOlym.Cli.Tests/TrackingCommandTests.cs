using System.Text.Json.Nodes;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Cli.Tests;

/// <summary>Training logs a run, the registry names versions, and models load by MLflow URI: through the real executable.</summary>
public sealed class TrackingCommandTests(TrainedCliFixture fixture) : IClassFixture<TrainedCliFixture>
{
    private const string Post = "How many ways are there to choose 3 balls from 10 if order does not matter?";

    [Fact]
    public void Train_logs_a_run_registers_it_and_the_model_loads_back_by_uri_predicting_the_same()
    {
        var work = CliRunner.TemporaryDirectory();
        var model = Path.Combine(work, "model.tagolym");

        // the defaults: the local store stores/model and config/run_id.txt, relative to the working directory
        var train = CliRunner.RunIn(work, null, null, "train", "--data", fixture.DataPath, "--args", fixture.ArgsPath, "--model-out", model,
            "--experiment", "cli-test", "--run-name", "first", "--register", "--quiet");

        train.ExitCode.Should().Be(0, train.Stderr);
        File.Exists(model).Should().BeTrue("the model file is still written where --model-out says");
        var runId = File.ReadAllText(Path.Combine(work, "config", "run_id.txt"));
        runId.Should().MatchRegex("^[0-9a-f]{32}$");
        var store = Path.Combine(work, "stores", "model");
        var runDirectory = Directory.GetDirectories(store, runId, SearchOption.AllDirectories).Should().ContainSingle().Subject;
        File.ReadAllText(Path.Combine(runDirectory, "tags", "mlflow.runName")).Should().Be("first");
        File.ReadAllText(Path.Combine(runDirectory, "params", "ngram_max")).Should().Be("2");
        File.ReadAllText(Path.Combine(runDirectory, "params", "loss")).Should().Be("log_loss");
        File.ReadAllText(Path.Combine(runDirectory, "meta.yaml")).Should().Contain("status: 3\n").And.Contain("run_name: first\n");
        foreach (var split in new[] { "train", "val", "test" })
        {
            foreach (var metric in new[] { "precision", "recall", "f1" })
            {
                File.ReadAllText(Path.Combine(runDirectory, "metrics", $"{split}_{metric}")).Should().MatchRegex(@"^\d{13} 0\.\d+ 0\n$");
            }

            JsonNode.Parse(File.ReadAllText(Path.Combine(runDirectory, "artifacts", "metrics", $"{split}.json")))!["overall"]!["f1"]!
                .GetValue<double>().Should().BeGreaterThan(0.3);
        }

        JsonNode.Parse(File.ReadAllText(Path.Combine(runDirectory, "artifacts", "args.json")))!["ngram_max"]!.GetValue<int>().Should().Be(2);
        var mlmodel = File.ReadAllText(Path.Combine(runDirectory, "artifacts", "model", "MLmodel"));
        mlmodel.Should().Contain("flavors:\n  tagolym:\n    format_version: 3\n").And.Contain("    - combinatorics\n").And.Contain("model_file: tagolym.model");
        File.ReadAllBytes(Path.Combine(runDirectory, "artifacts", "model", "tagolym.model")).Should().Equal(File.ReadAllBytes(model));
        train.Stdout.Should().Contain("registered tagolym version 1");
        File.ReadAllText(Path.Combine(runDirectory, "artifacts", "report.html")).Should().StartWith("<!DOCTYPE html>")
            .And.Contain("tagolym training report").And.Contain("id=\"pr-0\"").And.Contain("id=\"cooccurrence-predicted\"");

        var promote = CliRunner.RunIn(work, null, null, "models", "promote", "--name", "tagolym", "--version", "1");
        promote.ExitCode.Should().Be(0, promote.Stderr);
        var list = CliRunner.RunIn(work, null, null, "models", "list");
        list.ExitCode.Should().Be(0, list.Stderr);
        list.Stdout.Split('\n').Should().Contain(l => l.StartsWith($"tagolym\t1\tchampion\t{runId}\t", StringComparison.Ordinal));

        var expected = CliRunner.Run("predict", "--model", model, Post);
        expected.ExitCode.Should().Be(0, expected.Stderr);
        foreach (var uri in new[] { $"runs:/{runId}/model", "models:/tagolym/1", "models:/tagolym@champion", "models:/tagolym/latest" })
        {
            var predicted = CliRunner.RunIn(work, null, null, "predict", "--model", uri, Post);
            predicted.ExitCode.Should().Be(0, predicted.Stderr);
            predicted.Stdout.Should().Be(expected.Stdout, uri);
        }

        var evaluate = CliRunner.RunIn(work, null, null, "evaluate", "--model", "models:/tagolym@champion", "--data", fixture.DataPath);
        evaluate.ExitCode.Should().Be(0, evaluate.Stderr);
    }

    [Fact]
    public void A_second_registration_is_version_2_and_promotion_moves_the_champion()
    {
        var work = CliRunner.TemporaryDirectory();
        var env = new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = new Uri(Path.Combine(work, "elsewhere")).AbsoluteUri,
            ["MLFLOW_EXPERIMENT_NAME"] = "from-env",
        };
        var first = CliRunner.RunIn(work, env, null, "train", "--data", fixture.DataPath, "--args", fixture.ArgsPath, "--model-out", Path.Combine(work, "a.model"), "--quiet");
        first.ExitCode.Should().Be(0, first.Stderr);
        var firstRun = File.ReadAllText(Path.Combine(work, "config", "run_id.txt"));
        var second = CliRunner.RunIn(work, env, null, "train", "--data", fixture.DataPath, "--args", fixture.ArgsPath, "--model-out", Path.Combine(work, "b.model"), "--quiet", "--seed", "7");
        second.ExitCode.Should().Be(0, second.Stderr);
        var secondRun = File.ReadAllText(Path.Combine(work, "config", "run_id.txt"));

        Directory.Exists(Path.Combine(work, "stores", "model")).Should().BeFalse("MLFLOW_TRACKING_URI points elsewhere");
        Directory.GetFiles(Path.Combine(work, "elsewhere"), "meta.yaml", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("\nname: from-env\n", StringComparison.Ordinal)).Should().ContainSingle("both runs went to MLFLOW_EXPERIMENT_NAME");
        CliRunner.RunIn(work, env, null, "models", "register", "--run-id", firstRun).Stdout.Should().Contain("version 1");
        CliRunner.RunIn(work, env, null, "models", "register", "--run-id", secondRun).Stdout.Should().Contain("version 2");
        CliRunner.RunIn(work, env, null, "models", "promote", "--version", "1").ExitCode.Should().Be(0);
        CliRunner.RunIn(work, env, null, "models", "promote", "--version", "2").ExitCode.Should().Be(0);

        var lines = CliRunner.RunIn(work, env, null, "models", "list").Stdout.Split('\n');
        lines.Should().Contain(l => l.StartsWith($"tagolym\t1\t-\t{firstRun}\t", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith($"tagolym\t2\tchampion\t{secondRun}\t", StringComparison.Ordinal));
        var champion = CliRunner.RunIn(work, env, null, "predict", "--model", "models:/tagolym@champion", Post);
        champion.Stdout.Should().Be(CliRunner.Run("predict", "--model", Path.Combine(work, "b.model"), Post).Stdout);
    }

    [Fact]
    public void No_track_writes_no_store_and_registry_errors_are_clear()
    {
        var work = CliRunner.TemporaryDirectory();
        var train = CliRunner.RunIn(work, null, null, "train", "--data", fixture.DataPath, "--args", fixture.ArgsPath, "--model-out", Path.Combine(work, "m.model"), "--no-track", "--quiet");

        train.ExitCode.Should().Be(0, train.Stderr);
        Directory.Exists(Path.Combine(work, "stores", "model")).Should().BeFalse();
        File.Exists(Path.Combine(work, "config", "run_id.txt")).Should().BeFalse();

        var unknownRun = CliRunner.RunIn(work, null, null, "models", "register", "--run-id", "00000000000000000000000000000000");
        unknownRun.ExitCode.Should().Be(1);
        unknownRun.Stderr.Should().Contain("not found");
        var unknownAlias = CliRunner.RunIn(work, null, null, "predict", "--model", "models:/tagolym@champion", Post);
        unknownAlias.ExitCode.Should().Be(1);
        unknownAlias.Stderr.Should().Contain("tagolym");
        var badUri = CliRunner.RunIn(work, null, null, "predict", "--model", "models:/", Post);
        badUri.ExitCode.Should().Be(1);
        badUri.Stderr.Should().Contain("models:/<name>");
        CliRunner.RunIn(work, null, null, "train", "--data", fixture.DataPath, "--no-track", "--register").ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task Concurrent_trainings_in_separate_processes_share_one_store_intact()
    {
        const int Trainings = 4;
        var work = CliRunner.TemporaryDirectory();
        var results = await Task.WhenAll(Enumerable.Range(0, Trainings).Select(i => Task.Run(() => CliRunner.RunIn(work, null, null,
            "train", "--data", fixture.DataPath, "--args", fixture.ArgsPath, "--model-out", Path.Combine(work, $"m{i}.model"),
            "--run-id-out", Path.Combine(work, $"run{i}.txt"), "--run-name", $"parallel-{i}", "--register", "--quiet"))));

        results.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n", results.Select(r => r.Stderr)));
        var versions = results.Select(r => System.Text.RegularExpressions.Regex.Match(r.Stdout, @"registered tagolym version (\d+)").Groups[1].Value).ToList();
        versions.Should().BeEquivalentTo(Enumerable.Range(1, Trainings).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var store = Path.Combine(work, "stores", "model");
        Directory.GetDirectories(store).Count(d => File.Exists(Path.Combine(d, "meta.yaml"))).Should().Be(2, "Default and one tagolym experiment, not one per process");
        var lines = CliRunner.RunIn(work, null, null, "models", "list").Stdout.Split('\n');
        for (var i = 0; i < Trainings; i++)
        {
            var runId = File.ReadAllText(Path.Combine(work, $"run{i}.txt"));
            var runDirectory = Directory.GetDirectories(store, runId, SearchOption.AllDirectories).Should().ContainSingle().Subject;
            File.ReadAllText(Path.Combine(runDirectory, "meta.yaml")).Should().Contain("status: 3\n").And.EndWith("\n");
            File.ReadAllBytes(Path.Combine(runDirectory, "artifacts", "model", "tagolym.model")).Should().Equal(File.ReadAllBytes(Path.Combine(work, $"m{i}.model")));
            lines.Should().ContainSingle(l => l.Contains($"\t{runId}\t", StringComparison.Ordinal));
        }

        Directory.GetFiles(store, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [MlflowTheory]
    [InlineData(MlflowServer.Sqlite)]
    [InlineData(MlflowServer.File)]
    public void Against_the_real_MLflow_server_train_registers_promote_moves_the_alias_list_shows_it_and_only_READY_versions_resolve(string backend)
    {
        var work = CliRunner.TemporaryDirectory();
        using var server = MlflowServer.Start(backend);
        var env = new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = server.Uri.ToString().TrimEnd('/') };
        var model = Path.Combine(work, "model.tagolym");

        var train = CliRunner.RunIn(work, env, null, "train", "--data", fixture.DataPath, "--args", fixture.ArgsPath, "--model-out", model, "--register", "--quiet");
        train.ExitCode.Should().Be(0, train.Stderr);
        train.Stdout.Should().Contain("registered tagolym version 1");
        var runId = File.ReadAllText(Path.Combine(work, "config", "run_id.txt"));
        train.Stdout.Split('\n').Should().Contain(l => l.StartsWith($"run {runId} logged to {server.Uri.ToString().TrimEnd('/')} (experiment tagolym, run id in ", StringComparison.Ordinal)
            && l.TrimEnd().EndsWith("run_id.txt)", StringComparison.Ordinal), "a console line longer than 80 columns is not wrapped when stdout is not a terminal");
        Directory.Exists(Path.Combine(work, "stores", "model")).Should().BeFalse("the run went to the server, not to a local store");

        var promote = CliRunner.RunIn(work, env, null, "models", "promote", "--name", "tagolym", "--version", "1");
        promote.ExitCode.Should().Be(0, promote.Stderr);
        var list = CliRunner.RunIn(work, env, null, "models", "list");
        list.ExitCode.Should().Be(0, list.Stderr);
        list.Stdout.Split('\n').Should().Contain(l => l.StartsWith($"tagolym\t1\tchampion\t{runId}\t", StringComparison.Ordinal), "aliases show with either backend");

        var expected = CliRunner.Run("predict", "--model", model, Post);
        var champion = CliRunner.RunIn(work, env, null, "predict", "--model", "models:/tagolym@champion", Post);
        champion.ExitCode.Should().Be(0, champion.Stderr);
        champion.Stdout.Should().Be(expected.Stdout);

        // a version 2 whose registration is still pending, its files not there: latest is still version 1
        using (var store = server.OpenStore())
        {
            var run = store.GetRunAsync(runId).GetAwaiter().GetResult();
            store.CreateModelVersionAsync("tagolym", run.Info.ArtifactUri + "/not-yet-copied", runId).GetAwaiter().GetResult().Version.Should().Be("2");
        }

        server.SetVersionStatus("tagolym", "2", "PENDING_REGISTRATION");
        var latest = CliRunner.RunIn(work, env, null, "predict", "--model", "models:/tagolym/latest", Post);
        latest.ExitCode.Should().Be(0, latest.Stderr);
        latest.Stdout.Should().Be(expected.Stdout);
        var pending = CliRunner.RunIn(work, env, null, "predict", "--model", "models:/tagolym/2", Post);
        pending.ExitCode.Should().Be(1);
        pending.Stderr.Should().Contain("PENDING_REGISTRATION");
    }
}
