using TagOlym.Core.Learning;
using TagOlym.Core.Tracking;

using TagOlym.Core.Training;

namespace TagOlym.Web.Tests.Support;

/// <summary>A local MLflow file store in a fresh folder, where tests log, register and promote models A and B as
/// <c>tagolym train --register</c> and <c>tagolym promote</c> would.</summary>
public sealed class TestRegistry : IDisposable
{
    public const string ModelName = TrainingRuns.DefaultModelName;

    public TestRegistry()
    {
        Directory = Path.Combine(TestModels.TemporaryDirectory(), "store");
        Store = new FileTrackingStore(Directory);
    }

    /// <summary>The store's folder: the service's <c>Tracking:Uri</c>.</summary>
    public string Directory { get; }

    public FileTrackingStore Store { get; }

    /// <summary>Settings for a service reading this store, polling every 100 ms.</summary>
    public Dictionary<string, string?> Settings(bool polling = true)
    {
        var settings = new Dictionary<string, string?> { ["Tracking:Uri"] = Directory };
        if (polling)
        {
            settings["Model:PollInterval"] = "00:00:00.100";
        }

        return settings;
    }

    /// <summary>Logs a finished training run with its model; returns the run id.</summary>
    public async Task<string> LogAsync(TrainingResult result)
    {
        var run = await TrainingRuns.StartAsync(Store, TrainingRuns.DefaultExperiment, "test-run", "tests");
        await TrainingRuns.LogTrainingAsync(Store, run.RunId, result.Model, result.Metrics);
        await Store.UpdateRunAsync(run.RunId, RunStatus.Finished, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return run.RunId;
    }

    /// <summary>Logs and registers a run; returns the new version.</summary>
    public async Task<ModelVersion> RegisterAsync(TrainingResult result) =>
        await TrainingRuns.RegisterAsync(Store, await LogAsync(result), ModelName);

    public Task<ModelVersion> PromoteAsync(string version) => TrainingRuns.PromoteAsync(Store, ModelName, version);

    public void Dispose() => Store.Dispose();
}
