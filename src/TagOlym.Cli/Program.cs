using System.CommandLine;
using TagOlym.Cli.Commands;

var root = new RootCommand("TagOlym: tag suggestions for math olympiad posts written in LaTeX.")
{
    ValidateCommand.Create(),
    PreprocessCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    ModelsCommand.Create(),
};

CliConsole.UseStandardOutput();
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // one line per mistake and where to read more, instead of the whole help text
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"tagolym: {ParseErrors.Describe(error.Message)}");
    }

    Console.Error.WriteLine($"see: {parse.CommandResult.Command.Name switch { "tagolym" => "tagolym", var name => $"tagolym {name}" }} --help");
    return CliErrors.UsageExitCode;
}

return parse.Invoke();
