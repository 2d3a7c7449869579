using TagOlym.Core.Tracking;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Tracking;

/// <summary>Several writers on one local store at once, as parallel training jobs on one machine would be.</summary>
public sealed class ConcurrentTrackingTests
{
    [Fact]
    public async Task Concurrent_runs_and_registrations_leave_every_file_whole_and_every_version_number_unique()
    {
        const int Writers = 12;
        var directory = SampleData.TemporaryDirectory();
        var artifact = Path.Combine(SampleData.TemporaryDirectory(), "weights.bin");
        await File.WriteAllBytesAsync(artifact, Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray());

        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            // each writer opens its own store, as separate processes would
            using var store = new FileTrackingStore(directory);
            var run = await TrainingRuns.StartAsync(store, "concurrent", $"writer-{w}");
            for (var step = 0; step < 20; step++)
            {
                await store.LogBatchAsync(run.RunId, [new Metric("loss", 1.0 / (step + 1), 1000 + step, step)],
                    new Dictionary<string, string> { [$"p{step}"] = w.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            await store.LogArtifactAsync(run.RunId, artifact, "model/weights.bin");
            await store.LogArtifactAsync(run.RunId, artifact, "model/MLmodel");
            await store.UpdateRunAsync(run.RunId, RunStatus.Finished, 5000);
            var version = await TrainingRuns.RegisterAsync(store, run.RunId, "shared-model");
            await store.SetAliasAsync("shared-model", "champion", version.Version);
            return (run.RunId, version.Version);
        })));

        using var reader = new FileTrackingStore(directory);
        var experiment = await reader.GetExperimentByNameAsync("concurrent");
        Directory.EnumerateDirectories(directory).Count(d => File.Exists(Path.Combine(d, "meta.yaml"))).Should().Be(2, "Default and one 'concurrent'");
        results.Select(r => r.Version).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(Enumerable.Range(1, Writers).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Directory.GetDirectories(Path.Combine(directory, experiment.ExperimentId)).Should().HaveCount(Writers);
        foreach (var (runId, version) in results)
        {
            var run = await reader.GetRunAsync(runId);
            run.Info.Status.Should().Be(RunStatus.Finished);
            run.Params.Should().HaveCount(20);
            (await File.ReadAllLinesAsync(Path.Combine(directory, experiment.ExperimentId, runId, "metrics", "loss"))).Should().HaveCount(20);
            (await reader.GetModelVersionAsync("shared-model", version)).RunId.Should().Be(runId);
            var copy = Path.Combine(directory, experiment.ExperimentId, runId, "artifacts", "model", "weights.bin");
            (await File.ReadAllBytesAsync(copy)).Should().Equal(await File.ReadAllBytesAsync(artifact));
        }

        // exactly one version holds the alias, and it is the one the alias file names
        var champion = await reader.GetModelVersionByAliasAsync("shared-model", "champion");
        var versions = await reader.SearchModelVersionsAsync("shared-model");
        versions.Where(v => v.Aliases.Contains("champion")).Select(v => v.Version).Should().Equal(champion.Version);

        // every meta.yaml is whole (parses, has its keys) and no temporary file is left behind
        foreach (var meta in Directory.EnumerateFiles(directory, "meta.yaml", SearchOption.AllDirectories))
        {
            var yaml = MlflowYaml.Read(await File.ReadAllTextAsync(meta));
            var key = meta.Contains("version-", StringComparison.Ordinal) ? "version"
                : Path.GetFileName(Path.GetDirectoryName(meta))!.Length == 32 ? "run_id" : "name";
            yaml.Should().ContainKey(key, meta);
            yaml.GetString(key).Should().NotBeNull(meta);
        }

        Directory.EnumerateFiles(directory, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty();
    }
}
