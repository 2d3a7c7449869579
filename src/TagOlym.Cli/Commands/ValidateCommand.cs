using System.CommandLine;
using TagOlym.Core.Data;
using TagOlym.Core.Labels;

namespace TagOlym.Cli.Commands;

/// <summary><c>tagolym validate</c>: the data report; exits non-zero when the data has errors.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Labeled posts: JSON array or JSON Lines, optionally gzip-compressed", Required = true };
        var labels = CommonOptions.Labels();
        var rules = CommonOptions.Rules();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("validate", "Check a labeled data file and print its report") { data, labels, rules, json };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            CliPaths.CheckInputs((parse.GetValue(data), "--data"));
            var taxonomy = CommonOptions.LoadTaxonomy(parse.GetValue(labels));
            var report = DataValidator.Validate(parse.GetValue(data)!.FullName, taxonomy, CommonOptions.LoadRules(parse.GetValue(rules)));
            Console.Out.Write(parse.GetValue(json) ? report.ToJson() + Environment.NewLine : report.ToText());
            return report.HasErrors ? CliErrors.Failure : 0;
        }));
        return command;
    }
}
