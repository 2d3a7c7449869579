using System.CommandLine;
using System.Text.Json;
using TagOlym.Core;
using TagOlym.Core.Data;
using TagOlym.Core.Learning;
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
                var target = new TrackingTarget(store, parse.GetValue(experiment)!, parse.GetValue(runName) ?? $"retrain-{DateTime.UtcNow:yyyyMMdd-HHmmss}", "tagolym retrain");
                var result = await Retraining.RunAsync(
                    target, request, () => TrainingProgressView.Run(parse.GetValue(quiet), progress => TrainingFlow.Train(request, progress, cancellationToken)),
                    name, parse.GetValue(minGain), CommonOptions.ModelCache, cancellationToken);
                Console.Out.WriteLine($"run {result.Tracked.Run.RunId} logged to {store.Location}");
                Console.Out.WriteLine(result.Decision.Describe());
                Console.Out.WriteLine(result.Promoted is { } version
                    ? $"{name} version {version.Version} is the champion (models:/{name}@{TrainingRuns.ChampionAlias})"
                    : $"{name} version {result.ChampionVersion} stays the champion; the new model is kept in run {result.Tracked.Run.RunId} only");
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
