using TagOlym.Core.Evaluation;

namespace TagOlym.Core.Learning.Search;

/// <summary>Trains with a trial's arguments and reports each split's metrics (train, val, test); the study's value is val's weighted F1.</summary>
public interface IArgsEvaluator
{
    IReadOnlyDictionary<string, EvaluationReport> Evaluate(TrainingArgs args, CancellationToken cancellationToken);
}

/// <summary>
/// Each trial is a whole <see cref="TrainingPipeline"/> training of the request with the trial's arguments (the split
/// seeded by the arguments' seed, as <c>tagolym train</c> does): what <c>train</c> reports for the written arguments
/// is what the trial reported.
/// </summary>
public sealed class PipelineArgsEvaluator(TrainingRequest template) : IArgsEvaluator
{
    public IReadOnlyDictionary<string, EvaluationReport> Evaluate(TrainingArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        return TrainingPipeline.Train(template with { Args = args, SplitSeed = args.Sgd.Seed }, progress: null, cancellationToken).Metrics;
    }
}
