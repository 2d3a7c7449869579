using System.CommandLine;
using Spectre.Console;
using TagOlym.Cli.Commands;

if (Console.IsOutputRedirected)
{
    // not a terminal (a pipe, a file, a CI log): Spectre would assume 80 columns and wrap long lines such as paths
    AnsiConsole.Profile.Width = 32_767;
}

var root = new RootCommand("TagOlym: tag suggestions for math olympiad posts written in LaTeX.")
{
    ValidateCommand.Create(),
    PreprocessCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    ModelsCommand.Create(),
};

return root.Parse(args).Invoke();
