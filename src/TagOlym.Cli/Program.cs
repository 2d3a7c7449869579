using System.CommandLine;
using TagOlym.Cli.Commands;

var root = new RootCommand("TagOlym: tag suggestions for math olympiad posts written in LaTeX.")
{
    ValidateCommand.Create(),
    PreprocessCommand.Create(),
    TrainCommand.Create(),
    OptimizeCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    ModelsCommand.Create(),
};

var parsed = root.Parse(args);

// optimize handles Ctrl+C itself (it ends after the running trials); the others are cancelled at once
return parsed.Invoke(parsed.CommandResult.Command.Name == OptimizeCommand.Name ? new InvocationConfiguration { ProcessTerminationTimeout = null } : new InvocationConfiguration());
