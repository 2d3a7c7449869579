using System.CommandLine;
using TagOlym.Core;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Models;
using TagOlym.Core.Training;

namespace TagOlym.Cli.Commands;

/// <summary><c>tagolym evaluate</c>: a model's metrics on any labeled file.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var trackingUri = CommonOptions.TrackingUri();
        var data = new Option<FileInfo>("--data") { Description = "Labeled posts to evaluate on", Required = true };
        var metricsOut = new Option<FileInfo?>("--metrics-out") { Description = "Write the metrics JSON here" };
        var reportOut = new Option<FileInfo?>("--report") { Description = "Write the HTML evaluation report here" };
        var command = new Command("evaluate", "Measure a model on labeled posts (overall, per label, per slice); labels the file lacks have no support")
        {
            model, trackingUri, data, metricsOut, reportOut,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            CliPaths.CheckInputs((parse.GetValue(data), "--data"));
            CliPaths.CheckOutputs((parse.GetValue(metricsOut), "--metrics-out"));
            var loaded = TagModel.Load(await CommonOptions.ResolveModelAsync(parse.GetValue(model)!, parse.GetValue(trackingUri), cancellationToken));
            var (_, metrics, report) = EvaluateStage.OnFile(loaded, parse.GetValue(data)!.FullName);
            if (parse.GetValue(metricsOut) is { } file)
            {
                AtomicFile.WriteAllText(file.FullName, metrics.ToJson());
            }

            if (parse.GetValue(reportOut) is { } reportFile)
            {
                HtmlReport.Write(reportFile.FullName, report);
            }

            TrainCommand.PrintMetrics(metrics);
            return 0;
        }));
        return command;
    }
}
