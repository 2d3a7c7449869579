using System.Diagnostics;
using TagOlym.Core.Models;

namespace TagOlym.Core.Training;

/// <summary>
/// The training flow of DESIGN.md, steps 1 to 9: each step is the stage of the same name, and this is only their
/// order. Nothing is written to disk here: the caller saves what it wants (see <see cref="TrackedTraining"/>).
/// </summary>
public static class TrainingFlow
{
    public static TrainingResult Train(TrainingRequest request, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = request.Args;
        var labels = request.Taxonomy.Labels;
        var clock = new StageClock(progress);

        var (report, posts, emptyDropped) = Prepare(request, clock, progress, cancellationToken);
        var features = FeaturizeStage.Run(posts.Train, args, progress);
        clock.Done("featurize");
        var members = LearnStage.Run(features.TrainRows, posts.Train.Labels, posts.Train.Tags, features.Vectorizer.FeatureCount, args, request.Taxonomy, progress, cancellationToken);
        clock.Done("learn");
        var outOfFold = args.UseStage
            ? LearnStage.OutOfFold(features.TrainRows, posts.Train.Labels, posts.Train.Tags, features.Vectorizer.FeatureCount, args, request.Taxonomy, progress, cancellationToken)
            : null;
        if (outOfFold is not null)
        {
            clock.Done("out-of-fold");
        }

        var (scorer, scores, thresholds) = CalibrateStage.Run(features, members, outOfFold, posts, args, progress, cancellationToken);
        clock.Done("calibrate");
        var evaluations = EvaluateStage.Run(posts, scores, thresholds, labels, args);
        clock.Done("evaluate");
        var model = PackageStage.Run(request.Taxonomy, args, scorer, thresholds, evaluations, posts.Train);
        clock.Done("package");

        var evaluationReport = EvaluateStage.Report(model, posts, scores, evaluations);
        return new TrainingResult(model, report, evaluations.Metrics, evaluations.Baselines, clock.Timings, emptyDropped, posts.ToDictionary(p => p.Count), evaluationReport);
    }

    /// <summary>Steps 1 to 4: the raw posts are read, preprocessed and split here, and not kept beyond.</summary>
    private static (Data.ValidationReport Report, Splits<PreparedPosts> Posts, int EmptyDropped) Prepare(
        TrainingRequest request, StageClock clock, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new TrainingProgress("validate", 0));
        var validated = ValidateStage.Run(request.DataPath, request.Taxonomy, request.Rules, cancellationToken);
        clock.Done("validate");
        var (prepared, emptyDropped) = PreprocessStage.Run(validated.Dataset, request.Args.Preprocess, request.Args.TitleBlockWeight > 0, progress, cancellationToken);
        clock.Done("preprocess");
        var posts = SplitStage.Run(prepared, request.Split, request.SplitSeed);
        clock.Done("split");
        return (validated.Report, posts, emptyDropped);
    }

    /// <summary>Times the stages and reports each one's end.</summary>
    private sealed class StageClock(IProgress<TrainingProgress>? progress)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly List<StageTiming> _timings = [];

        public IReadOnlyList<StageTiming> Timings => _timings;

        public void Done(string stage)
        {
            using var process = Process.GetCurrentProcess();
            _timings.Add(new StageTiming(stage, _watch.Elapsed, process.PeakWorkingSet64));
            progress?.Report(new TrainingProgress(stage, 1));
            _watch.Restart();
        }
    }
}
