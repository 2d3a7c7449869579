using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using TagOlym.Core;
using TagOlym.Core.Data;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;
using TagOlym.Core.Tracking;
using TagOlym.Core.Training;

namespace TagOlym.Cli.Commands;

/// <summary>
/// <c>tagolym retrain</c>: continuous training with a quality gate. Validates the data (bad data is refused with the
/// report), trains through the tracked-training routine, evaluates the new model and the registry's champion on the
/// same held-out posts, and registers and promotes the new model only if the gate passes; the decision, both scores
/// and the data's fingerprint and row count are logged to the run. A service following the champion picks it up.
/// </summary>
internal static class RetrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Labeled posts (e.g. a fresh tagolym elt export)", Required = true };
        var feedback = new Option<FileInfo?>("--feedback") { Description = "More labeled posts to train on (e.g. moderators' feedback exported as labeled posts)" };
        var minGain = new Option<double>("--min-gain") { Description = "Promote only if the new weighted F1 minus the champion's is at least this (negative: the loss tolerated)", DefaultValueFactory = _ => 0.0 };
        var args = new Option<FileInfo>("--args") { Description = "Training arguments", DefaultValueFactory = _ => new FileInfo("config/args_opt.json") };
        var labels = CommonOptions.Labels();
        var rules = CommonOptions.Rules();
        var modelName = new Option<string>("--model-name") { Description = "The registered model whose champion is challenged", DefaultValueFactory = _ => TrainingRuns.DefaultModelName };
        var experiment = new Option<string>("--experiment") { Description = "Experiment of the run (default: MLFLOW_EXPERIMENT_NAME, else tagolym)", DefaultValueFactory = _ => TrainingRuns.ExperimentFromEnvironment() };
        var runName = new Option<string?>("--run-name") { Description = "Name of the run (default: retrain-<UTC date and time>)" };
        var trackingUri = CommonOptions.TrackingUri();
        var quiet = CommonOptions.Quiet();
        var command = new Command("retrain", "Train on fresh data and promote the new model only if it is not worse than the champion")
        {
            data, feedback, minGain, args, labels, rules, modelName, experiment, runName, trackingUri, quiet,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var trainingArgs = TrainingArgs.Load(parse.GetValue(args)!.FullName);
            var name = parse.GetValue(modelName)!;
            var inputs = new[] { parse.GetValue(data)!, parse.GetValue(feedback) }.OfType<FileInfo>().ToArray();
            foreach (var input in inputs.Where(f => !f.Exists))
            {
                throw new FileNotFoundException($"no data file {input.FullName}", input.FullName);
            }

            var combined = inputs.Length == 1 ? null : Combine(inputs);
            try
            {
                var dataPath = combined ?? inputs[0].FullName;
                var request = new TrainingRequest(dataPath, trainingArgs)
                {
                    Taxonomy = CommonOptions.LoadTaxonomy(parse.GetValue(labels)),
                    Rules = CommonOptions.LoadRules(parse.GetValue(rules)),
                    SplitSeed = trainingArgs.Sgd.Seed,
                };

                using var store = TrackingStores.Open(parse.GetValue(trackingUri));
                var champion = await ChampionAsync(store, name, cancellationToken);
                var target = new TrackingTarget(store, parse.GetValue(experiment)!, parse.GetValue(runName) ?? $"retrain-{DateTime.UtcNow:yyyyMMdd-HHmmss}", "tagolym retrain");
                var tracked = await TrackedTraining.RunAsync(
                    target, () => TrainingProgressView.Run(parse.GetValue(quiet), progress => TrainingFlow.Train(request, progress, cancellationToken)), cancellationToken);

                var decision = QualityGate.Decide(tracked.Training.Model, champion?.Model, request, parse.GetValue(minGain), cancellationToken);
                await LogDecisionAsync(store, tracked, decision, champion?.Version, dataPath, inputs, cancellationToken);
                Console.Out.WriteLine($"run {tracked.Run.RunId} logged to {store.Location}");
                if (decision.Promote)
                {
                    var version = await TrainingRuns.RegisterAsync(store, tracked.Run.RunId, name, decision.Describe(), cancellationToken);
                    version = await TrainingRuns.PromoteAsync(store, name, version.Version, TrainingRuns.ChampionAlias, cancellationToken);
                    Console.Out.WriteLine($"{decision.Describe()}");
                    Console.Out.WriteLine($"{name} version {version.Version} is the champion (models:/{name}@{TrainingRuns.ChampionAlias})");
                }
                else
                {
                    Console.Out.WriteLine(decision.Describe());
                    Console.Out.WriteLine($"{name} version {champion!.Version} stays the champion; the new model is kept in run {tracked.Run.RunId} only");
                }

                return 0;
            }
            finally
            {
                if (combined is not null)
                {
                    File.Delete(combined);
                }
            }
        }));
        return command;
    }

    private sealed record Champion(string Version, TagModel Model);

    /// <summary>The champion through the registry resolver, or null when the model has none yet.</summary>
    private static async Task<Champion?> ChampionAsync(ITrackingStore store, string name, CancellationToken cancellationToken)
    {
        ModelVersion version;
        try
        {
            version = await store.GetModelVersionByAliasAsync(name, TrainingRuns.ChampionAlias, cancellationToken);
        }
        catch (ResourceDoesNotExistException)
        {
            return null;
        }

        var file = await new ModelUriResolver(store, CommonOptions.ModelCache).ResolveAsync($"models:/{name}/{version.Version}", cancellationToken);
        return new Champion(version.Version, TagModel.Load(file));
    }

    private static async Task LogDecisionAsync(ITrackingStore store, TrackedResult tracked, GateDecision decision, string? championVersion, string dataPath, FileInfo[] inputs, CancellationToken cancellationToken)
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
            ["tagolym.data.sources"] = string.Join(", ", inputs.Select(f => f.Name)),
        };
        await store.LogBatchAsync(tracked.Run.RunId, metrics, tags: tags, cancellationToken: cancellationToken);
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>The inputs as one JSON Lines file of labeled posts, in order (a temporary file the caller deletes).</summary>
    private static string Combine(FileInfo[] inputs)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tagolym-retrain-{Guid.NewGuid():N}.jsonl");
        using var output = new StreamWriter(path);
        foreach (var input in inputs)
        {
            foreach (var record in PostReader.ReadAll(input.FullName))
            {
                if (record.IsMalformed)
                {
                    File.Delete(path);
                    throw new InvalidDataException($"{input.FullName}, row {record.Row}: {record.Error ?? "malformed record"}");
                }

                output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["id"] = record.Id.ToString(),
                    ["post_canonical"] = record.Post,
                    ["tags"] = record.Tags,
                }));
            }
        }

        return path;
    }
}
