using TagOlym.Core.Learning.Search;

namespace TagOlym.Core.Tests.Learning.Search;

public sealed class StudyFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tagolym-study-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly SearchSpace Space = new(
        new CategoricalParameter("loss", "hinge", "log_loss", "modified_huber"),
        new FloatParameter("alpha", 1e-5, 1e-2, log: true),
        new FloatParameter("l1_ratio", 0, 1),
        new IntParameter("ngram_max", 2, 4),
        new CategoricalParameter("stem", false, true),
        new FloatParameter("eta0", 1e-2, 1, log: true) { Condition = new SearchCondition("loss", ["hinge"]) });

    /// <summary>A made-up objective over every kind of parameter (log-loss, small alpha, some L1, 3-grams are best).</summary>
    private static double Objective(IReadOnlyDictionary<string, double> p) =>
        1 - (0.1 * Math.Abs(p["loss"] - 1)) - (0.05 * Math.Abs(Math.Log10(p["alpha"]) + 4)) - (0.1 * Math.Abs(p["l1_ratio"] - 0.2))
        - (0.05 * Math.Abs(p["ngram_max"] - 3)) - (p.TryGetValue("eta0", out var eta0) ? eta0 / 10 : 0);

    private static Task Run(Study study, int trials) =>
        StudyRunner.RunAsync(study, trials, r => Task.FromResult(new TrialOutcome(Objective(r.Params), new Dictionary<string, double> { ["val_f1"] = Objective(r.Params) }, $"run{r.Number}")));

    private static string TrialsWithoutTimes(Study study)
    {
        var trials = study.ToJson()["trials"]!.AsArray();
        foreach (var trial in trials)
        {
            trial!.AsObject().Remove("duration_seconds");
        }

        return trials.ToJsonString();
    }

    [Fact]
    public async Task A_saved_study_loads_back_equal_and_a_resumed_study_continues_as_if_never_stopped()
    {
        var whole = new Study("s1", Space, new TpeSampler(9));
        whole.Attributes["data"] = "posts.jsonl";
        await Run(whole, 30);

        var interrupted = new Study("s1", Space, new TpeSampler(9));
        interrupted.Attributes["data"] = "posts.jsonl";
        await Run(interrupted, 17);
        var path = Path.Combine(_directory, "s1.study.json");
        interrupted.Save(path);

        var loaded = Study.Load(path, Space);
        loaded.ToJson().ToJsonString().Should().Be(interrupted.ToJson().ToJsonString());
        loaded.Sampler.Should().BeOfType<TpeSampler>().Which.Seed.Should().Be(9);
        loaded.Trials[3].RunId.Should().Be("run3");
        loaded.Trials[3].Metrics!["val_f1"].Should().Be(interrupted.Trials[3].Value!.Value);

        await Run(loaded, 30);
        TrialsWithoutTimes(loaded).Should().Be(TrialsWithoutTimes(whole), "the trials' parameters and values, run ids and metrics are identical");
        loaded.Best!.Number.Should().Be(whole.Best!.Number);
    }

    [Fact]
    public void A_study_file_of_another_space_or_a_damaged_one_is_refused_with_a_reason()
    {
        var path = Path.Combine(_directory, "other.json");
        new Study("s", new SearchSpace(new FloatParameter("alpha", 1e-6, 1e-2, log: true)), new RandomSampler(1)).Save(path);
        var other = () => Study.Load(path, Space);
        other.Should().Throw<StudyFileException>().WithMessage("*searched another space*");

        File.WriteAllText(path, "{\"format\": \"tagolym-study/1\", \"trials\": [");
        var damaged = () => Study.Load(path, Space);
        damaged.Should().Throw<StudyFileException>().WithMessage("*damaged study file*");

        var missing = () => Study.Load(Path.Combine(_directory, "none.json"), Space);
        missing.Should().Throw<StudyFileException>().WithMessage("no study file at *");
    }
}
