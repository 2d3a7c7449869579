using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using TagOlym.Core.Learning;
using TagOlym.Core.Learning.Search;

namespace TagOlym.Cli.Tests;

public sealed class OptimizeCommandTests(TrainedCliFixture fixture) : IClassFixture<TrainedCliFixture>
{
    /// <summary>Few epochs keep each trial short; the two studies search over these.</summary>
    private static string BaseArgs(string directory)
    {
        var path = Path.Combine(directory, "base.json");
        File.WriteAllText(path, """{"stem": true, "ngram_max": 2, "loss": "log_loss", "alpha": 1e-5, "l1_ratio": 0.0, "max_iter": 4, "tol": null, "early_stopping": false}""");
        return path;
    }

    [Fact]
    public void Optimize_runs_both_studies_and_writes_the_best_trials_arguments()
    {
        var directory = CliRunner.TemporaryDirectory();
        var output = Path.Combine(directory, "best.json");

        var run = CliRunner.Run("optimize", "--args", BaseArgs(directory), "--data", fixture.DataPath, "--study", "cli", "--trials", "2", "--parallel", "1",
            "--split", "fixed", "--study-dir", Path.Combine(directory, "studies"), "--out", output, "--tracking-uri", Path.Combine(directory, "mlruns"));

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("[cli-1] trial 0 started").And.Contain("[cli-2] trial 1 (2/2) done in").And.Contain("best 0.");
        run.Stdout.Should().StartWith("best validation weighted F1 0.");
        var best = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
        TrainingArgs.Load(output).Tfidf.NgramMax.Should().BeInRange(2, 4);
        var studies = new[] { "cli-1", "cli-2" }.Select((name, k) => Study.Load(Path.Combine(directory, "studies", name + ".json"), AnchorStudies.Studies[k])).ToList();
        var bestValue = studies.Max(s => s.Best!.Value!.Value);
        run.Stdout.Should().Contain($"best validation weighted F1 {bestValue:F4}");

        // the file holds the best trial's arguments (the first study reaching the best value): its base with its parameters
        var winner = studies.First(s => s.Best!.Value == bestValue);
        best.ToJsonString().Should().Be(AnchorStudies.Apply((JsonObject)winner.Attributes["base_args"]!, winner.Space, winner.Best!.Params).ToJsonString());
        studies[1].Best!.Value.Should().BeGreaterThanOrEqualTo(studies[0].Best!.Value!.Value, "study 2 starts from study 1's best");

        // the same study again without --resume is refused, with a message and no stack trace
        var again = CliRunner.Run("optimize", "--args", BaseArgs(directory), "--data", fixture.DataPath, "--study", "cli", "--trials", "2",
            "--study-dir", Path.Combine(directory, "studies"), "--out", output, "--no-track");
        again.ExitCode.Should().Be(1);
        again.Stderr.Trim().Split('\n')[^1].Should().StartWith("tagolym: study cli-1 exists").And.Contain("--resume");
        again.Stderr.Should().NotContain("   at ");
    }

    [Theory]
    [InlineData("--trials 0", "--trials must be at least 1")]
    [InlineData("--parallel 9", "--parallel must be between 1 and 8")]
    [InlineData("--study a/b", "must be a plain name")]
    [InlineData("--sampler grid", "grid")]
    public void Optimize_refuses_bad_options_with_one_line(string options, string message)
    {
        var directory = CliRunner.TemporaryDirectory();
        string[] args = ["optimize", "--args", BaseArgs(directory), "--data", fixture.DataPath, "--study-dir", directory, "--no-track", .. options.Split(' ')];
        if (!options.StartsWith("--study ", StringComparison.Ordinal))
        {
            args = [.. args, "--study", "x"];
        }

        var run = CliRunner.Run(args);

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain(message).And.NotContain("   at ");
    }

    [Fact]
    public async Task A_termination_signal_ends_after_the_running_trial_and_writes_the_best_so_far()
    {
        var directory = CliRunner.TemporaryDirectory();
        var output = Path.Combine(directory, "best.json");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "tagolym.dll"), "optimize", "--args", BaseArgs(directory), "--data", fixture.DataPath, "--study", "sig",
            "--trials", "20", "--parallel", "1", "--study-dir", Path.Combine(directory, "studies"), "--out", output, "--no-track",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        var firstDone = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            if (e.Data?.Contains("trial 0 (1/20) done", StringComparison.Ordinal) == true)
            {
                firstDone.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await firstDone.Task.WaitAsync(TimeSpan.FromMinutes(5));

        // what Ctrl+C sends a foreground job is SIGINT; a background job ignores it, so the test sends SIGTERM (handled alike)
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        process.ExitCode.Should().Be(130, stderr.ToString());
        stderr.ToString().Should().Contain("stopping after the running trials");
        (await stdout).Should().Contain("stopped early");
        var study = Study.Load(Path.Combine(directory, "studies", "sig-1.json"), AnchorStudies.Study1);
        study.Trials.Count.Should().BeInRange(1, 3, "the trial running at the signal finishes, no new one starts");
        File.Exists(output).Should().BeTrue();
        TrainingArgs.Load(output).ToJson()["alpha"]!.GetValue<double>()
            .Should().Be(AnchorStudies.Apply(TrainingArgs.Load(BaseArgs(directory)).ToJson(), AnchorStudies.Study1, study.Best!.Params)["alpha"]!.GetValue<double>());
    }
}
