using System.Globalization;
using System.Security.Cryptography;
using TagOlym.Core.Models;
using TagOlym.Core.Tracking;

namespace TagOlym.Core.Training;

/// <summary>What a retraining did: its run, the gate's decision, the champion it was measured against, the version it promoted.</summary>
public sealed record RetrainResult(TrackedResult Tracked, GateDecision Decision, string? ChampionVersion, ModelVersion? Promoted);

/// <summary>
/// Step 12 of the flow, continuous training with a gate: train through <see cref="TrackedTraining"/>, measure the
/// new model and the registered model's champion on the same held-out posts (<see cref="QualityGate"/>), log the
/// decision, both scores and the data's fingerprint and row count to the run, and only if the gate passes register
/// the model and point <c>champion</c> at it, which a service following the champion then loads by itself.
/// </summary>
public static class Retraining
{
    /// <param name="target">Where the run goes; its <c>RegisterAs</c>/<c>PromoteTo</c> must be unset (the gate decides).</param>
    /// <param name="train">The training of <paramref name="request"/> (the caller adds its progress display).</param>
    /// <param name="cacheDirectory">Where the champion is downloaded from a server.</param>
    public static async Task<RetrainResult> RunAsync(TrackingTarget target, TrainingRequest request, Func<TrainingResult> train, string modelName, double minGain, string cacheDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        if (target.RegisterAs is not null || target.PromoteTo is not null)
        {
            throw new ArgumentException("a retraining registers and promotes only what the gate passes", nameof(target));
        }

        var store = target.Store;
        var champion = await ChampionAsync(store, modelName, cacheDirectory, cancellationToken).ConfigureAwait(false);
        var tracked = await TrackedTraining.RunAsync(target, train, cancellationToken).ConfigureAwait(false);
        var decision = await Task.Run(() => QualityGate.Decide(tracked.Training.Model, champion?.Model, request, minGain, cancellationToken), cancellationToken).ConfigureAwait(false);
        await LogDecisionAsync(store, tracked, decision, champion?.Version, request.DataPath, cancellationToken).ConfigureAwait(false);
        if (!decision.Promote)
        {
            return new RetrainResult(tracked, decision, champion?.Version, null);
        }

        var version = await TrainingRuns.RegisterAsync(store, tracked.Run.RunId, modelName, decision.Describe(), cancellationToken).ConfigureAwait(false);
        version = await TrainingRuns.PromoteAsync(store, modelName, version.Version, TrainingRuns.ChampionAlias, cancellationToken).ConfigureAwait(false);
        return new RetrainResult(tracked, decision, champion?.Version, version);
    }

    private sealed record Champion(string Version, TagModel Model);

    /// <summary>The champion through the registry resolver, or null when the model has none yet.</summary>
    private static async Task<Champion?> ChampionAsync(ITrackingStore store, string name, string cacheDirectory, CancellationToken cancellationToken)
    {
        ModelVersion version;
        try
        {
            version = await store.GetModelVersionByAliasAsync(name, TrainingRuns.ChampionAlias, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceDoesNotExistException)
        {
            return null;
        }

        var file = await new ModelUriResolver(store, cacheDirectory).ResolveAsync($"models:/{name}/{version.Version}", cancellationToken).ConfigureAwait(false);
        return new Champion(version.Version, TagModel.Load(file));
    }

    private static async Task LogDecisionAsync(ITrackingStore store, TrackedResult tracked, GateDecision decision, string? championVersion, string dataPath, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = new List<Metric> { new("gate_new_f1", decision.CandidateF1, now, 0), new("gate_heldout_posts", decision.HeldOutPosts, now, 0) };
        if (decision.ChampionF1 is { } championF1)
        {
            metrics.Add(new Metric("gate_champion_f1", championF1, now, 0));
        }

        var tags = new Dictionary<string, string>
        {
            ["tagolym.gate.decision"] = decision.Promote ? "promoted" : "kept_champion",
            ["tagolym.gate.min_gain"] = decision.MinGain.ToString("R", CultureInfo.InvariantCulture),
            ["tagolym.gate.champion_version"] = championVersion ?? "none",
            ["tagolym.data.fingerprint"] = "sha256:" + Sha256(dataPath),
            ["tagolym.data.rows"] = tracked.Training.Validation.RowsRead.ToString(CultureInfo.InvariantCulture),
        };
        await store.LogBatchAsync(tracked.Run.RunId, metrics, tags: tags, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
