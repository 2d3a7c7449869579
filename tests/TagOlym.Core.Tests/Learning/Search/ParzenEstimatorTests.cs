using TagOlym.Core.Learning.Search;

namespace TagOlym.Core.Tests.Learning.Search;

public sealed class ParzenEstimatorTests
{
    private static readonly TpeOptions Options = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_continuous_estimator_is_a_density_on_its_range(bool log)
    {
        var parameter = new FloatParameter("x", 1e-3, 10, log);
        var estimator = ParzenEstimator.Build(parameter, [0.002, 0.5, 0.6, 9.9], Options);

        // integrate over the parameter's own scale (the log of x for a log-uniform one): trapezoids on a fine grid
        var (a, b) = log ? (Math.Log(1e-3), Math.Log(10)) : (1e-3, 10);
        const int steps = 200_000;
        var h = (b - a) / steps;
        double integral = 0;
        for (var i = 0; i <= steps; i++)
        {
            var u = a + (i * h);
            var x = log ? Math.Exp(u) : u;
            integral += Math.Exp(estimator.LogDensity(Math.Clamp(x, 1e-3, 10))) * (i is 0 or steps ? h / 2 : h);
        }

        integral.Should().BeApproximately(1, 1e-3);
    }

    [Fact]
    public void An_integer_estimator_puts_all_its_mass_on_the_integers_and_samples_only_them()
    {
        var parameter = new IntParameter("n", 2, 4);
        var estimator = ParzenEstimator.Build(parameter, [3, 3, 4], Options);

        new[] { 2.0, 3, 4 }.Sum(n => Math.Exp(estimator.LogDensity(n))).Should().BeApproximately(1, 1e-9);
        var random = new Random(1);
        var draws = Enumerable.Range(0, 2000).Select(_ => estimator.Sample(random)).ToList();
        draws.Should().OnlyContain(d => d == 2 || d == 3 || d == 4);
        draws.Count(d => d == 3).Should().BeGreaterThan(draws.Count(d => d == 2), "two of three observations are 3");
    }

    [Fact]
    public void A_categorical_estimator_follows_the_observed_choices_smoothed_by_the_prior()
    {
        var parameter = new CategoricalParameter("loss", "hinge", "log_loss", "modified_huber");
        var estimator = ParzenEstimator.Build(parameter, [1, 1, 1, 0], Options);
        var p = Enumerable.Range(0, 3).Select(c => Math.Exp(estimator.LogDensity(c))).ToArray();

        p.Sum().Should().BeApproximately(1, 1e-12);

        // worked by hand: 5 kernels of weight 1/5; an observation's kernel is 1/5 on every choice plus 1 on its own,
        // normalized by 8/5 (3/4 on its choice, 1/8 on each other); the prior kernel is uniform
        const double observed = 0.75, other = 0.125;
        p[1].Should().BeApproximately(((3 * observed) + other + (1.0 / 3)) / 5, 1e-12);
        p[2].Should().BeApproximately(((4 * other) + (1.0 / 3)) / 5, 1e-12);
    }

    [Fact]
    public void Samples_stay_in_range_even_when_kernels_sit_on_the_edge()
    {
        var parameter = new FloatParameter("alpha", 1e-5, 1e-2, log: true);
        var estimator = ParzenEstimator.Build(parameter, [1e-5, 1e-5, 1e-2], Options);
        var random = new Random(3);

        Enumerable.Range(0, 5000).Select(_ => estimator.Sample(random)).Should().OnlyContain(x => x >= 1e-5 && x <= 1e-2);
    }
}
