using System.CommandLine;
using Spectre.Console;
using TagOlym.Core;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Learning;
using TagOlym.Core.Tracking;
using TagOlym.Core.Training;

namespace TagOlym.Cli.Commands;

/// <summary>
/// <c>tagolym train</c>: validate, preprocess, split, fit, tune thresholds, evaluate, write the model; and, unless
/// <c>--no-track</c>, log the run (params, metrics, artifacts, the model under <c>model/</c>) to the tracking store
/// (MLFLOW_TRACKING_URI, else the local file store <c>stores/model</c>), write its id to <c>config/run_id.txt</c>,
/// and with <c>--register</c> register the model as the next version.
/// </summary>
internal static class TrainCommand
{
    public const string DefaultModelPath = "stores/models/tagolym.model";
    public const string DefaultRunIdPath = "config/run_id.txt";

    /// <summary>The arguments the service's first run and the README use: the best model for its size and time.</summary>
    public const string DefaultArgsPath = "config/args_best.json";

    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Labeled posts (JSON array or JSON Lines, optionally gzip)", Required = true };
        var args = new Option<FileInfo>("--args") { Description = "Training arguments (the anchor's args.json layout)", DefaultValueFactory = _ => new FileInfo(DefaultArgsPath) };
        var labels = CommonOptions.Labels();
        var rules = CommonOptions.Rules();
        var split = CommonOptions.Choice<SplitMethod>("--split", "stratified (iterative, 70/15/15) or fixed (the benchmark split by id)");
        var seed = new Option<int?>("--seed") { Description = "Seed of the split and the learner (default: the args file's seed, 42)" };
        var modelOut = new Option<FileInfo>("--model-out") { Description = "Where to write the model", DefaultValueFactory = _ => new FileInfo(DefaultModelPath) };
        var metricsOut = new Option<FileInfo?>("--metrics-out") { Description = "Write {\"train\": M, \"val\": M, \"test\": M} here" };
        var reportOut = new Option<FileInfo?>("--report") { Description = "Write the HTML evaluation report here (a tracked run logs it as report.html too)" };
        var quiet = CommonOptions.Quiet();
        var experiment = new Option<string>("--experiment") { Description = "Experiment the run is logged in, created if missing (default: MLFLOW_EXPERIMENT_NAME, else tagolym)", DefaultValueFactory = _ => TrainingRuns.ExperimentFromEnvironment() };
        var runName = new Option<string?>("--run-name") { Description = "Name of the run (default: train-<UTC date and time>)" };
        var noTrack = new Option<bool>("--no-track") { Description = "Do not log a run (only the model file is written)" };
        var trackingUri = CommonOptions.TrackingUri();
        var runIdOut = new Option<FileInfo>("--run-id-out") { Description = "Where the run id is written", DefaultValueFactory = _ => new FileInfo(DefaultRunIdPath) };
        var register = new Option<bool>("--register") { Description = "Register the logged model as the next version of --model-name" };
        var modelName = new Option<string>("--model-name") { Description = "Registered model name for --register", DefaultValueFactory = _ => TrainingRuns.DefaultModelName };
        var command = new Command("train", "Train a model, write it with its metrics, and log the run")
        {
            data, args, labels, rules, split, seed, modelOut, metricsOut, reportOut, quiet, experiment, runName, noTrack, trackingUri, runIdOut, register, modelName,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var track = !parse.GetValue(noTrack);
            if (!track && parse.GetValue(register))
            {
                return CliErrors.Usage("--register needs a tracked run: drop --no-track");
            }

            CliPaths.CheckInputs((parse.GetValue(data), "--data"), (parse.GetValue(args), "--args"));
            CliPaths.CheckOutputs((parse.GetValue(modelOut), "--model-out"), (parse.GetValue(metricsOut), "--metrics-out"), (track ? parse.GetValue(runIdOut) : null, "--run-id-out"));

            var trainingArgs = TrainingArgs.Load(parse.GetValue(args)!.FullName);
            if (parse.GetValue(seed) is { } s)
            {
                trainingArgs = trainingArgs with { Sgd = trainingArgs.Sgd with { Seed = s } };
            }

            var request = new TrainingRequest(parse.GetValue(data)!.FullName, trainingArgs)
            {
                Taxonomy = CommonOptions.LoadTaxonomy(parse.GetValue(labels)),
                Rules = CommonOptions.LoadRules(parse.GetValue(rules)),
                Split = parse.GetValue(split),
                SplitSeed = trainingArgs.Sgd.Seed,
            };
            TrainingResult Train() => TrainingProgressView.Run(parse.GetValue(quiet), progress => TrainingFlow.Train(request, progress, cancellationToken));
            if (!track)
            {
                Save(parse, Train());
                return 0;
            }

            using var store = TrackingStores.Open(parse.GetValue(trackingUri));
            var experimentName = parse.GetValue(experiment)!;
            var target = new TrackingTarget(store, experimentName, parse.GetValue(runName) ?? $"train-{DateTime.UtcNow:yyyyMMdd-HHmmss}", "tagolym train")
            {
                RegisterAs = parse.GetValue(register) ? parse.GetValue(modelName) : null,
            };
            var tracked = await TrackedTraining.RunAsync(target, Train, cancellationToken);
            Save(parse, tracked.Training);
            var runIdFile = parse.GetValue(runIdOut)!.FullName;
            AtomicFile.WriteAllText(runIdFile, tracked.Run.RunId);
            AnsiConsole.MarkupLine(Markup.Escape($"run {tracked.Run.RunId} logged to {store.Location} (experiment {experimentName}, run id in {runIdFile})"));
            if (tracked.Version is { } version)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"registered {version.Name} version {version.Version} (models:/{version.Name}/{version.Version})"));
            }

            return 0;
        }));
        return command;

        void Save(ParseResult parse, TrainingResult result)
        {
            var modelPath = parse.GetValue(modelOut)!.FullName;
            result.Model.Save(modelPath);
            if (parse.GetValue(metricsOut) is { } metricsFile)
            {
                AtomicFile.WriteAllText(metricsFile.FullName, result.MetricsJson().ToJsonString(new() { WriteIndented = true }));
            }

            if (parse.GetValue(reportOut) is { } reportFile)
            {
                HtmlReport.Write(reportFile.FullName, result.Report);
            }

            PrintSummary(result, modelPath);
        }
    }

    private static void PrintSummary(TrainingResult result, string modelPath)
    {
        var table = new Table().AddColumns("split", "posts", "weighted P", "weighted R", "weighted F1", "micro F1");
        foreach (var (split, report) in result.Metrics)
        {
            table.AddRow(split, $"{result.SplitSizes[split]:N0}", F(report.Overall.Precision), F(report.Overall.Recall), F(report.Overall.F1), F(report.Micro.F1));
        }

        foreach (var (name, report) in result.Baselines)
        {
            table.AddRow(name, $"{result.SplitSizes["test"]:N0}", F(report.Overall.Precision), F(report.Overall.Recall), F(report.Overall.F1), F(report.Micro.F1));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape("random, rules: baselines on the test split (each label at its training share; a label when its name appears)"));
        AnsiConsole.MarkupLine(Markup.Escape(
            $"features {result.Model.Manifest.FeatureCount:N0}, with weights {result.Model.Manifest.StoredFeatureCount:N0}; empty posts dropped {result.EmptyPostsDropped:N0}"));
        AnsiConsole.MarkupLine(Markup.Escape("time: " + string.Join(", ", result.Timings.Select(t => $"{t.Stage} {t.Elapsed.TotalSeconds:F1} s (peak {t.PeakWorkingSetBytes >> 20} MB)"))));
        AnsiConsole.MarkupLine(Markup.Escape($"model written to {modelPath} ({new FileInfo(modelPath).Length / 1e6:F1} MB)"));
    }

    private static string F(double value) => value.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

    internal static void PrintMetrics(EvaluationReport report)
    {
        var table = new Table().AddColumns("", "precision", "recall", "F1", "posts");
        table.AddRow("weighted", F(report.Overall.Precision), F(report.Overall.Recall), F(report.Overall.F1), $"{report.Overall.NumSamples:N0}");
        table.AddRow("micro", F(report.Micro.Precision), F(report.Micro.Recall), F(report.Micro.F1), $"{report.Micro.NumSamples:N0}");
        foreach (var (label, metrics) in report.Class)
        {
            if (metrics.NumSamples == 0)
            {
                table.AddRow(Markup.Escape(label), "[grey]no support[/]", "", "", "0");
                continue;
            }

            table.AddRow(Markup.Escape(label), F(metrics.Precision), F(metrics.Recall), F(metrics.F1), $"{metrics.NumSamples:N0}");
        }

        AnsiConsole.Write(table);
    }
}
