using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace TagOlym.Core.Learning.Search;

/// <summary>
/// A Parzen estimator of one parameter over a set of trials, as Optuna's univariate TPE builds it: one kernel per
/// observation plus a prior kernel, mixed with the trials' weights (see <see cref="TpeOptions"/>).
/// </summary>
internal abstract class ParzenEstimator
{
    public abstract double Sample(Random random);

    public abstract double LogDensity(double value);

    public static ParzenEstimator Build(SearchParameter parameter, IReadOnlyList<double> observations, TpeOptions options) => parameter switch
    {
        CategoricalParameter c => new CategoricalEstimator(c.Choices.Count, observations, options),
        IntParameter i => new NumericEstimator(i.Low, i.High, step: 1, log: false, observations, options),
        FloatParameter f => new NumericEstimator(f.Low, f.High, step: 0, f.Log, observations, options),
        _ => throw new NotSupportedException(parameter.GetType().Name),
    };

    /// <summary>The observations' weights (oldest first, Optuna's default: equal up to 25, then older ones ramp down) and the prior's, summing to 1.</summary>
    protected static double[] MixtureWeights(int observations, TpeOptions options)
    {
        var weights = new double[observations + 1];
        var ramp = Math.Max(0, observations - TpeOptions.FlatWeightTrials);
        for (var i = 0; i < observations; i++)
        {
            // numpy.linspace(1/n, 1, n-25) for the oldest, ones for the 25 newest
            weights[i] = i >= ramp ? 1 : ramp == 1 ? 1.0 / observations : (1.0 / observations) + (i * (1 - (1.0 / observations)) / (ramp - 1));
        }

        weights[observations] = options.PriorWeight;
        var sum = weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= sum;
        }

        return weights;
    }

    protected static int PickKernel(double[] weights, Random random)
    {
        var u = random.NextDouble();
        for (var k = 0; k < weights.Length - 1; k++)
        {
            u -= weights[k];
            if (u < 0)
            {
                return k;
            }
        }

        return weights.Length - 1;
    }

    private static double LogSumExp(IEnumerable<double> terms)
    {
        var values = terms.ToArray();
        var max = values.Max();
        return double.IsNegativeInfinity(max) ? max : max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }

    /// <summary>Truncated normal kernels on [low, high] (in log space for log-uniform parameters; an integer's kernel is its mass on [x - 1/2, x + 1/2]).</summary>
    private sealed class NumericEstimator : ParzenEstimator
    {
        private readonly double _low;
        private readonly double _high;
        private readonly double _step;
        private readonly bool _log;
        private readonly double[] _weights;
        private readonly double[] _mus;
        private readonly double[] _sigmas;
        private readonly double[] _logMass;

        public NumericEstimator(double low, double high, double step, bool log, IReadOnlyList<double> observations, TpeOptions options)
        {
            (_step, _log) = (step, log);
            _low = (log ? Math.Log(low) : low) - (step / 2);
            _high = (log ? Math.Log(high) : high) + (step / 2);
            var mus = observations.Select(o => log ? Math.Log(o) : o).ToArray();
            var n = mus.Length;
            var sigmas = Bandwidths(mus);
            var range = _high - _low;

            // Optuna's "magic clip": kernels no narrower than range / min(100, n + 2) (n observations and the prior)
            var minSigma = range / Math.Min(100.0, n + 2.0);
            _mus = [.. mus, (_low + _high) / 2];
            _sigmas = [.. sigmas.Select(s => Math.Clamp(s, minSigma, range)), range];
            _weights = MixtureWeights(n, options);
            _logMass = new double[_mus.Length];
            for (var k = 0; k < _mus.Length; k++)
            {
                _logMass[k] = LogNormalMass(_low, _high, _mus[k], _sigmas[k]);
            }
        }

        public override double Sample(Random random)
        {
            var k = PickKernel(_weights, random);
            var x = SampleTruncated(_mus[k], _sigmas[k], random);
            if (_step > 0)
            {
                x = Math.Clamp(Math.Round(x - (_low + (_step / 2))) + _low + (_step / 2), _low + (_step / 2), _high - (_step / 2));
            }

            return _log ? Math.Exp(x) : x;
        }

        public override double LogDensity(double value)
        {
            var x = _log ? Math.Log(value) : value;
            return LogSumExp(Enumerable.Range(0, _mus.Length).Select(k => Math.Log(_weights[k]) - _logMass[k] + (_step > 0
                ? LogNormalMass(x - (_step / 2), x + (_step / 2), _mus[k], _sigmas[k])
                : Normal.PDFLn(_mus[k], _sigmas[k], x))));
        }

        /// <summary>
        /// Each kernel as wide as the larger gap to its neighbours among the observations and the prior's centre,
        /// the outermost ones as wide as their inner gap (Optuna's univariate rule without endpoints).
        /// </summary>
        private double[] Bandwidths(double[] mus)
        {
            var withPrior = mus.Append((_low + _high) / 2).ToArray();
            var order = Enumerable.Range(0, withPrior.Length).OrderBy(i => withPrior[i]).ThenBy(i => i).ToArray();
            var points = new double[withPrior.Length + 2];
            points[0] = _low;
            points[^1] = _high;
            for (var i = 0; i < order.Length; i++)
            {
                points[i + 1] = withPrior[order[i]];
            }

            var sorted = new double[order.Length];
            for (var i = 0; i < sorted.Length; i++)
            {
                sorted[i] = Math.Max(points[i + 1] - points[i], points[i + 2] - points[i + 1]);
            }

            if (points.Length >= 4)
            {
                sorted[0] = points[2] - points[1];
                sorted[^1] = points[^2] - points[^3];
            }

            var sigmas = new double[mus.Length];
            for (var i = 0; i < order.Length; i++)
            {
                if (order[i] < mus.Length)
                {
                    sigmas[order[i]] = sorted[i];
                }
            }

            return sigmas;
        }

        /// <summary>log P(a &lt; X &lt; b) for X ~ N(mu, sigma), accurate in either tail.</summary>
        private static double LogNormalMass(double a, double b, double mu, double sigma)
        {
            var (alpha, beta) = ((a - mu) / sigma, (b - mu) / sigma);

            // on the upper side, the difference of two upper tails keeps its digits
            var mass = alpha > 0
                ? 0.5 * (SpecialFunctions.Erfc(alpha / Constants.Sqrt2) - SpecialFunctions.Erfc(beta / Constants.Sqrt2))
                : 0.5 * (SpecialFunctions.Erfc(-beta / Constants.Sqrt2) - SpecialFunctions.Erfc(-alpha / Constants.Sqrt2));
            return Math.Log(Math.Max(mass, 1e-300));
        }

        /// <summary>Inverse-CDF draw from N(mu, sigma) truncated to [low, high], mirrored so it works in the far tail.</summary>
        private double SampleTruncated(double mu, double sigma, Random random)
        {
            var (alpha, beta) = ((_low - mu) / sigma, (_high - mu) / sigma);
            var mirrored = alpha > 0;
            if (mirrored)
            {
                (alpha, beta) = (-beta, -alpha);
            }

            var (lo, hi) = (Normal.CDF(0, 1, alpha), Normal.CDF(0, 1, beta));
            var z = Normal.InvCDF(0, 1, lo + (random.NextDouble() * (hi - lo)));
            if (!double.IsFinite(z))
            {
                z = (alpha + beta) / 2;
            }

            z = Math.Clamp(z, alpha, beta);
            return Math.Clamp(mu + ((mirrored ? -z : z) * sigma), _low, _high);
        }
    }

    /// <summary>
    /// One distribution over the choices per observation (the prior's weight spread evenly, plus one for the observed
    /// choice) and a uniform prior, as Optuna builds them.
    /// </summary>
    private sealed class CategoricalEstimator : ParzenEstimator
    {
        private readonly double[] _weights;
        private readonly double[][] _kernels;

        public CategoricalEstimator(int choices, IReadOnlyList<double> observations, TpeOptions options)
        {
            var kernelCount = observations.Count + 1;
            _kernels = new double[kernelCount][];
            for (var k = 0; k < kernelCount; k++)
            {
                var kernel = Enumerable.Repeat(options.PriorWeight / kernelCount, choices).ToArray();
                if (k < observations.Count)
                {
                    kernel[(int)observations[k]] += 1;
                }

                var sum = kernel.Sum();
                _kernels[k] = [.. kernel.Select(p => p / sum)];
            }

            _weights = MixtureWeights(observations.Count, options);
        }

        public override double Sample(Random random)
        {
            var kernel = _kernels[PickKernel(_weights, random)];
            return PickKernel(kernel, random);
        }

        public override double LogDensity(double value) =>
            Math.Log(Enumerable.Range(0, _kernels.Length).Sum(k => _weights[k] * _kernels[k][(int)value]));
    }
}
