using System.CommandLine;
using Spectre.Console;
using TagOlym.Core;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Learning;

namespace TagOlym.Cli.Commands;

/// <summary><c>tagolym train</c>: validate, preprocess, split, fit, tune thresholds, evaluate, write the model.</summary>
internal static class TrainCommand
{
    public const string DefaultModelPath = "stores/models/tagolym.model";

    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Labeled posts (JSON array or JSON Lines, optionally gzip)", Required = true };
        var args = new Option<FileInfo>("--args") { Description = "Training arguments (the anchor's args.json layout)", DefaultValueFactory = _ => new FileInfo("config/args_opt.json") };
        var labels = CommonOptions.Labels();
        var rules = CommonOptions.Rules();
        var split = new Option<SplitMethod>("--split") { Description = "stratified (iterative, 70/15/15) or fixed (the benchmark split by id)", DefaultValueFactory = _ => SplitMethod.Stratified };
        var seed = new Option<int?>("--seed") { Description = "Seed of the split and the learner (default: the args file's seed, 42)" };
        var modelOut = new Option<FileInfo>("--model-out") { Description = "Where to write the model", DefaultValueFactory = _ => new FileInfo(DefaultModelPath) };
        var metricsOut = new Option<FileInfo?>("--metrics-out") { Description = "Write {\"train\": M, \"val\": M, \"test\": M} here" };
        var quiet = CommonOptions.Quiet();
        var command = new Command("train", "Train a model and write it with its metrics") { data, args, labels, rules, split, seed, modelOut, metricsOut, quiet };
        command.SetAction(parse => CliErrors.Run(() =>
        {
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
            var result = TrainingProgressView.Run(parse.GetValue(quiet), progress => TrainingPipeline.Train(request, progress));

            var modelPath = parse.GetValue(modelOut)!.FullName;
            result.Model.Save(modelPath);
            if (parse.GetValue(metricsOut) is { } metricsFile)
            {
                AtomicFile.WriteAllText(metricsFile.FullName, result.MetricsJson().ToJsonString(new() { WriteIndented = true }));
            }

            PrintSummary(result, modelPath);
            return 0;
        }));
        return command;
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

        table.Caption("random, rules: baselines on the test split (each label at its training share; a label when its name appears)");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"features {result.Model.Vectorizer.FeatureCount:N0}, with weights {result.Model.Classifier.StoredFeatureCount:N0}; empty posts dropped {result.EmptyPostsDropped:N0}"));
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
            table.AddRow(Markup.Escape(label), F(metrics.Precision), F(metrics.Recall), F(metrics.F1), $"{metrics.NumSamples:N0}");
        }

        AnsiConsole.Write(table);
    }
}
