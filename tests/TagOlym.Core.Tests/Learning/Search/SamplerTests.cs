using System.Text.Json.Nodes;
using TagOlym.Core.Learning.Search;

namespace TagOlym.Core.Tests.Learning.Search;

public sealed class SamplerTests
{
    /// <summary>Branin-Hoo on [-5, 10] x [0, 15]: three global minima of 0.397887 (a standard test of Bayesian optimizers).</summary>
    private static double Branin(double x1, double x2)
    {
        const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        var y = x2 - (b * x1 * x1) + (c * x1) - 6;
        return (y * y) + (10 * (1 - t) * Math.Cos(x1)) + 10;
    }

    private static readonly SearchSpace BraninSpace = new(new FloatParameter("x1", -5, 10), new FloatParameter("x2", 0, 15));

    private static async Task<Study> Minimize(ISampler sampler, int trials, Func<IReadOnlyDictionary<string, double>, double> f, SearchSpace space, int parallelism = 1)
    {
        var study = new Study("test", space, sampler, StudyDirection.Minimize);
        await StudyRunner.RunAsync(study, trials, r => Task.FromResult(new TrialOutcome(f(r.Params))), parallelism);
        return study;
    }

    private static double BraninOf(IReadOnlyDictionary<string, double> p) => Branin(p["x1"], p["x2"]);

    [Fact]
    public async Task Tpe_is_deterministic_under_a_seed_and_differs_between_seeds()
    {
        var first = await Minimize(new TpeSampler(7), 30, BraninOf, BraninSpace);
        var again = await Minimize(new TpeSampler(7), 30, BraninOf, BraninSpace);
        var other = await Minimize(new TpeSampler(8), 30, BraninOf, BraninSpace);

        again.Trials.Select(t => t.Params).Should().BeEquivalentTo(first.Trials.Select(t => t.Params), o => o.WithStrictOrdering());
        other.Trials.Select(t => t.Params["x1"]).Should().NotEqual(first.Trials.Select(t => t.Params["x1"]));
    }

    [Fact]
    public async Task Two_trials_at_once_give_the_same_study_whatever_the_timing()
    {
        async Task<IReadOnlyList<Trial>> Run(int delaySeed)
        {
            var delays = new Random(delaySeed);
            var study = new Study("test", BraninSpace, new TpeSampler(3), StudyDirection.Minimize);
            await StudyRunner.RunAsync(study, 24, async r =>
            {
                int delay;
                lock (delays)
                {
                    delay = delays.Next(0, 15);
                }

                await Task.Delay(delay);
                return new TrialOutcome(BraninOf(r.Params));
            }, parallelism: 2);
            return study.Trials;
        }

        var a = await Run(1);
        var b = await Run(2);

        a.Should().HaveCount(24);
        b.Select(t => t.Params).Should().BeEquivalentTo(a.Select(t => t.Params), o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Tpe_beats_random_search_on_branin_on_average_over_20_seeds()
    {
        const int trials = 60;
        double tpe = 0, random = 0;
        var tpeWins = 0;
        for (var seed = 0; seed < 20; seed++)
        {
            var bestTpe = (await Minimize(new TpeSampler(seed), trials, BraninOf, BraninSpace)).Best!.Value!.Value;
            var bestRandom = (await Minimize(new RandomSampler(seed), trials, BraninOf, BraninSpace)).Best!.Value!.Value;
            tpe += bestTpe / 20;
            random += bestRandom / 20;
            tpeWins += bestTpe < bestRandom ? 1 : 0;
        }

        // the global minimum is 0.397887; TPE should get much closer than random search with the same budget
        tpe.Should().BeLessThan(random);
        (tpe - 0.397887).Should().BeLessThan((random - 0.397887) / 2);
        tpeWins.Should().BeGreaterThan(12);
    }

    private static readonly SearchSpace Schedules = new(
        new CategoricalParameter("learning_rate", "optimal", "constant", "invscaling", "adaptive"),
        new FloatParameter("eta0", 1e-2, 1, log: true) { Condition = new SearchCondition("learning_rate", ["constant", "invscaling", "adaptive"]) },
        new FloatParameter("power_t", 0.1, 0.5) { Condition = new SearchCondition("learning_rate", ["invscaling"]) },
        new IntParameter("ngram_max", 2, 4),
        new CategoricalParameter("stem", false, true));

    /// <summary>Best with invscaling, eta0 near 0.1, power_t near 0.25, 3-grams and stemming; each miss costs.</summary>
    private static double ScheduleLoss(IReadOnlyDictionary<string, double> p)
    {
        var loss = p["learning_rate"] == 2 ? Math.Abs(Math.Log10(p["eta0"]) + 1) + Math.Abs(p["power_t"] - 0.25) : 2;
        return loss + Math.Abs(p["ngram_max"] - 3) + (p["stem"] == 1 ? 0 : 0.5);
    }

    [Fact]
    public async Task Conditional_parameters_appear_exactly_when_their_condition_holds_and_tpe_learns_them()
    {
        var tpe = await Minimize(new TpeSampler(11), 60, ScheduleLoss, Schedules);

        foreach (var trial in tpe.Trials)
        {
            var schedule = trial.Params["learning_rate"];
            trial.Params.ContainsKey("eta0").Should().Be(schedule != 0, "eta0 only when the schedule uses it");
            trial.Params.ContainsKey("power_t").Should().Be(schedule == 2, "power_t only for invscaling");
            if (trial.Params.TryGetValue("eta0", out var eta0))
            {
                eta0.Should().BeInRange(1e-2, 1);
            }

            if (trial.Params.TryGetValue("power_t", out var powerT))
            {
                powerT.Should().BeInRange(0.1, 0.5);
            }

            trial.Params["ngram_max"].Should().BeOneOf(2, 3, 4);
            trial.Params["stem"].Should().BeOneOf(0, 1);
        }

        // after the random start-up, the good region of the strong terms (invscaling and its eta0, 3-grams)
        // dominates the proposals (the weak stemming term may stay where the first good trials were: univariate
        // TPE is greedy on categorical choices)
        var late = tpe.Trials.Skip(30).ToList();
        late.Count(t => t.Params["learning_rate"] == 2).Should().BeGreaterThan(late.Count / 2);
        late.Count(t => t.Params["ngram_max"] == 3).Should().BeGreaterThan(late.Count / 2);
        late.Where(t => t.Params["learning_rate"] == 2).Average(t => Math.Abs(Math.Log10(t.Params["eta0"]) + 1)).Should().BeLessThan(0.3);
        tpe.Best!.Value!.Value.Should().BeLessThan(1);
        tpe.Space.ToJson(tpe.Best.Params)["learning_rate"]!.GetValue<string>().Should().Be("invscaling");
    }

    [Fact]
    public async Task Random_search_draws_each_parameter_over_its_whole_range()
    {
        var study = await Minimize(new RandomSampler(5), 400, ScheduleLoss, Schedules);
        var trials = study.Trials;

        trials.Select(t => t.Params["learning_rate"]).Distinct().Should().HaveCount(4);
        trials.Select(t => t.Params["ngram_max"]).Distinct().Order().Should().Equal(2, 3, 4);
        var eta0 = trials.Where(t => t.Params.ContainsKey("eta0")).Select(t => Math.Log10(t.Params["eta0"])).ToList();

        // log-uniform on [1e-2, 1]: about half of the draws below 0.1
        eta0.Count(e => e < -1).Should().BeInRange(eta0.Count * 35 / 100, eta0.Count * 65 / 100);
    }

    [Fact]
    public void Enqueued_parameters_are_the_first_trials_and_outside_values_are_refused()
    {
        var study = new Study("test", Schedules, new TpeSampler(1));
        var known = Study.ParamsFrom(new JsonObject { ["learning_rate"] = "invscaling", ["eta0"] = 0.1, ["power_t"] = 0.3, ["ngram_max"] = 2, ["stem"] = true }, Schedules, "args");
        study.Enqueue(known);

        study.Ask(0).Should().BeEquivalentTo(known);
        study.Ask(1).Should().NotBeEquivalentTo(known);
        var outside = () => Study.ParamsFrom(new JsonObject { ["ngram_max"] = 7 }, Schedules, "args");
        outside.Should().Throw<StudyFileException>().WithMessage("*ngram_max = 7 is outside the search space*");
        var unknown = () => Study.ParamsFrom(new JsonObject { ["loss"] = "hinge" }, Schedules, "args");
        unknown.Should().Throw<StudyFileException>().WithMessage("*loss is not in the search space*");
    }

    [Fact]
    public async Task A_failing_objective_is_recorded_and_the_study_goes_on()
    {
        var study = new Study("test", BraninSpace, new TpeSampler(2), StudyDirection.Minimize);
        await StudyRunner.RunAsync(study, 12, r => r.Number % 3 == 1
            ? throw new InvalidOperationException("out of memory in trial " + r.Number)
            : Task.FromResult(new TrialOutcome(BraninOf(r.Params))));

        study.Trials.Should().HaveCount(12);
        study.Trials.Where(t => t.State == TrialState.Failed).Select(t => t.Number).Should().Equal(1, 4, 7, 10);
        study.Trials[1].Error.Should().Be("out of memory in trial 1");
        study.Best!.State.Should().Be(TrialState.Complete);
    }

    [Fact]
    public async Task Cancelling_ends_after_the_running_trials_and_keeps_them()
    {
        using var stop = new CancellationTokenSource();
        var study = new Study("test", BraninSpace, new TpeSampler(4), StudyDirection.Minimize);
        await StudyRunner.RunAsync(study, 50, async r =>
        {
            if (r.Number == 4)
            {
                await stop.CancelAsync(); // Ctrl+C while trial 4 runs: trial 4 still finishes
            }

            await Task.Delay(5, CancellationToken.None);
            return new TrialOutcome(BraninOf(r.Params));
        }, parallelism: 1, stop: stop.Token);

        study.Trials.Select(t => t.Number).Should().Equal(0, 1, 2, 3, 4);
        study.Trials.Should().OnlyContain(t => t.State == TrialState.Complete);
    }
}
