using System.CommandLine;
using TagOlym.Cli.Commands;

var root = new RootCommand("TagOlym: tag suggestions for math olympiad posts written in LaTeX.")
{
    EltCommand.Create(),
    ValidateCommand.Create(),
    PreprocessCommand.Create(),
    TrainCommand.Create(),
    RetrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    ModelsCommand.Create(),
};

return root.Parse(args).Invoke();
