using System.Text.Json.Nodes;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Learning;
using TagOlym.Core.Learning.Search;
using TagOlym.Core.Training;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Tracking;

namespace TagOlym.Core.Tests.Learning.Search;

/// <summary>The two studies over real posts (4,000 Math Stack Exchange questions), tracked in a real MLflow file store.</summary>
public sealed class ArgsOptimizerTests : IDisposable
{
    private readonly string _directory = SampleData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Few epochs keep each trial to a second or two; the shipped fast (linear) arguments are the base.</summary>
    private static JsonObject BaseArgs()
    {
        var args = TrainingArgs.Load(SharedData.RepositoryPath("config", "args_fast.json"));
        return (args with { Sgd = args.Sgd with { MaxIterations = 5 } }).ToJson();
    }

    private static TrainingRequest Template => new(SampleData.Mse, TrainingArgs.Parse("{}")) { Split = SplitMethod.Fixed };

    private OptimizationRequest Request(int trials, bool resume = false) =>
        new(BaseArgs(), "t", trials, Path.Combine(_directory, "studies"), Path.Combine(_directory, "best.json"))
        {
            Seed = 5,
            Resume = resume,
            Parallelism = 2,
            Settings = new Dictionary<string, string> { ["data"] = SampleData.Mse, ["split"] = "fixed" },
        };

    private sealed class StopAfter(int trials, CancellationTokenSource stop) : IProgress<StudyProgress>
    {
        private int _done;

        public void Report(StudyProgress value)
        {
            if (value.Finished is not null && Interlocked.Increment(ref _done) == trials)
            {
                stop.Cancel();
            }
        }
    }

    [Fact]
    public async Task Ctrl_c_writes_the_best_so_far_and_retraining_with_it_reproduces_the_reported_value()
    {
        using var store = new FileTrackingStore(Path.Combine(_directory, "mlruns"));
        var runs = await StudyRuns.OpenAsync(store, "optimize-test");
        using var stop = new CancellationTokenSource();

        // stop after the third finished trial; a fourth that was running beside it (two run at once, so whether one
        // was depends on the machine's timing) finishes and counts; none starts after the stop
        var result = await new ArgsOptimizer(new TrialTraining(Template), runs).RunAsync(Request(8), new StopAfter(3, stop), stop.Token);

        result.Stopped.Should().BeTrue();
        result.Studies.Should().HaveCount(1, "study 2 does not start after Ctrl+C");
        var trials = result.Studies[0].Trials;
        trials.Count.Should().BeInRange(3, 4);
        trials.Should().OnlyContain(t => t.State == TrialState.Complete);
        result.BestValue.Should().Be(trials.Max(t => t.Value));
        var written = TrainingArgs.Load(Path.Combine(_directory, "best.json"));
        var best = trials.First(t => t.Value == result.BestValue);
        written.ToJson().ToJsonString().Should().Be(AnchorStudies.Apply(BaseArgs(), AnchorStudies.Study1, best.Params).ToJsonString());

        // trial 0 is the base arguments' own point
        AnchorStudies.Apply(BaseArgs(), AnchorStudies.Study1, trials[0].Params).ToJsonString().Should().Be(BaseArgs().ToJsonString());

        // what tagolym train reports for the written arguments is the reported best
        var retrained = TrainingFlow.Train(Template with { Args = written, SplitSeed = written.Sgd.Seed });
        retrained.Metrics["val"].Overall.F1.Should().Be(result.BestValue!.Value);

        // the study file has every trial, so --resume continues it
        Study.Load(ArgsOptimizer.StudyPath(Request(8), "t-1"), AnchorStudies.Study1).Trials.Should().HaveCount(trials.Count);
    }

    [Fact]
    public async Task Each_trial_is_a_child_run_the_parent_holds_the_best_and_a_study_resumes_from_its_runs()
    {
        using var store = new FileTrackingStore(Path.Combine(_directory, "mlruns"));
        var runs = await StudyRuns.OpenAsync(store, "optimize-test");
        var first = await new ArgsOptimizer(new TrialTraining(Template), runs).RunAsync(Request(2));

        first.Studies.Should().HaveCount(2);
        var experiment = (await store.GetExperimentByNameAsync("optimize-test")).ExperimentId;
        var all = await store.SearchRunsAsync([experiment]);
        var parents = all.Where(r => !r.Tags.ContainsKey(StudyRuns.ParentRunTag)).ToList();
        parents.Select(p => p.Info.RunName).Should().BeEquivalentTo("t-1", "t-2");
        foreach (var study in first.Studies)
        {
            var parent = parents.Single(p => p.Info.RunName == study.Name);
            var children = all.Where(r => r.Tags.GetValueOrDefault(StudyRuns.ParentRunTag) == parent.Info.RunId).ToList();
            children.Should().HaveCount(2);
            foreach (var child in children)
            {
                var trial = study.Trials.Single(t => t.RunId == child.Info.RunId);
                child.Metrics.Single(m => m.Key == "val_f1").Value.Should().Be(trial.Value!.Value);
                child.Metrics.Select(m => m.Key).Should().Contain(["train_precision", "train_recall", "train_f1", "val_precision", "val_recall", "test_precision", "test_recall", "test_f1"]);
                child.Params["alpha"].Should().NotBeEmpty();
                child.Params.Should().ContainKey("learning_rate");
            }

            parent.Info.Status.Should().Be(RunStatus.Finished);
            parent.Metrics.Single(m => m.Key == "best_val_f1").Value.Should().Be(study.Best!.Value!.Value);
            parent.Tags["best_run_id"].Should().Be(study.Best.RunId);
            (await store.ListArtifactsAsync(parent.Info.RunId)).Select(a => a.Path).Should().Contain(["best_args.json", "study.json"]);
        }

        // study 2 starts from study 1's best, so it cannot end below it
        first.Studies[1].Best!.Value.Should().BeGreaterThanOrEqualTo(first.Studies[0].Best!.Value!.Value);
        first.BestStudy.Should().Be(first.Studies[0].Best!.Value == first.BestValue ? "t-1" : "t-2");

        // without the study files, --resume rebuilds the studies from the runs and runs only the missing trials
        Directory.Delete(Path.Combine(_directory, "studies"), recursive: true);
        var resumed = await new ArgsOptimizer(new TrialTraining(Template), runs).RunAsync(Request(3, resume: true));
        var study1 = resumed.Studies[0].Trials;
        study1.Should().HaveCount(3);
        study1.Take(2).Select(t => t.RunId).Should().Equal(first.Studies[0].Trials.Select(t => t.RunId));
        study1.Take(2).Select(t => t.Value).Should().Equal(first.Studies[0].Trials.Select(t => t.Value));
        resumed.BestValue.Should().BeGreaterThanOrEqualTo(first.BestValue!.Value);
    }

    [Fact]
    public async Task An_existing_study_is_not_overwritten_without_resume()
    {
        await new ArgsOptimizer(new TrialTraining(Template)).RunAsync(Request(1));

        var again = () => new ArgsOptimizer(new TrialTraining(Template)).RunAsync(Request(1));

        await again.Should().ThrowAsync<StudyFileException>().WithMessage("*study t-1 exists*--resume*");
    }

    private sealed class CountingEvaluator(IArgsEvaluator inner) : IArgsEvaluator
    {
        private int _calls;

        public int Calls => _calls;

        public IReadOnlyDictionary<string, EvaluationReport> Evaluate(TrainingArgs args, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return inner.Evaluate(args, cancellationToken);
        }
    }

    [Fact]
    public async Task A_point_proposed_again_is_trained_once_and_gets_the_same_value()
    {
        var evaluator = new CountingEvaluator(new TrialTraining(Template));
        var result = await new ArgsOptimizer(evaluator).RunAsync(Request(6) with { RandomSearch = true });

        var trials = result.Studies.SelectMany(s => s.Trials.Select(t => (Args: AnchorStudies.Apply((JsonObject)s.Attributes["base_args"]!, s.Space, t.Params).ToJsonString(), t.Value))).ToList();
        var distinct = trials.Select(t => t.Args).Distinct().Count();
        distinct.Should().BeLessThan(trials.Count, "study 2 proposes optimal again (and starts with study 1's best)");
        evaluator.Calls.Should().Be(distinct);
        trials.GroupBy(t => t.Args).Should().OnlyContain(g => g.Select(t => t.Value).Distinct().Count() == 1);
    }
}
