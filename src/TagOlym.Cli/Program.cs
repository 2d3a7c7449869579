using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;
using TagOlym.Cli.Commands;

if (Console.IsOutputRedirected)
{
    // not a terminal (a pipe, a file, a CI log): Spectre would assume 80 columns and wrap long lines such as paths
    AnsiConsole.Profile.Width = 32_767;
}

var root = new RootCommand("TagOlym: tag suggestions for math olympiad posts written in LaTeX.")
{
    EltCommand.Create(),
    ValidateCommand.Create(),
    PreprocessCommand.Create(),
    TrainCommand.Create(),
    RetrainCommand.Create(),
    OptimizeCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    ModelsCommand.Create(),
    FeedbackCommand.Create(),
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

    var names = new Stack<string>();
    for (var command = parse.CommandResult; command.Parent is CommandResult parent; command = parent)
    {
        names.Push(command.Command.Name);
    }

    Console.Error.WriteLine($"see: {string.Join(' ', ["tagolym", .. names])} --help");
    return CliErrors.UsageExitCode;
}

// optimize handles Ctrl+C itself (it ends after the running trials); the others are cancelled at once
return parse.Invoke(parse.CommandResult.Command.Name == OptimizeCommand.Name ? new InvocationConfiguration { ProcessTerminationTimeout = null } : new InvocationConfiguration());
