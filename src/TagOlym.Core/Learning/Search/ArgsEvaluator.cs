using TagOlym.Core.Evaluation;

namespace TagOlym.Core.Learning.Search;

/// <summary>Trains with a trial's arguments and reports each split's metrics (train, val, test); the study's value is val's weighted F1.</summary>
public interface IArgsEvaluator
{
    IReadOnlyDictionary<string, EvaluationReport> Evaluate(TrainingArgs args, CancellationToken cancellationToken);
}
