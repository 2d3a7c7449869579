using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TagOlym.Core.Features;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Learning;

/// <param name="C">Inverse regularization strength, as scikit-learn's <c>LogisticRegression(C=...)</c>: the L2
/// penalty is <c>||w||^2 / (2 C n)</c> per row.</param>
/// <param name="Epochs">Passes over the training rows.</param>
/// <param name="Seed">Seeds the order the rows are visited in.</param>
public sealed record NbLogisticOptions(double C = 4, int Epochs = 8, int Seed = 42)
{
    public void Validate()
    {
        if (!double.IsFinite(C) || C <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(C), C, "nb_c must be a positive number");
        }

        if (Epochs is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "nb_epochs must be between 1 and 1000");
        }
    }
}

/// <summary>
/// NB-weighted logistic regression (Wang and Manning 2012, "NBSVM"), one binary classifier per label: each
/// feature is scaled by its log-count ratio for the label, <c>r = ln((p/|p|1) / (q/|q|1))</c>, where p and q are
/// 1 plus how many positive and negative training rows hold the feature, and an L2 logistic regression is
/// fitted on the scaled rows. The ratio is folded into the weights afterwards (<c>w' = w r</c>), so the result is
/// a plain <see cref="LinearModel"/> over the unscaled features.
/// <para>
/// The fit is averaged SGD (Polyak averaging from the first step; Bottou's "optimal" step size), with the weight
/// vector kept as a scale times a vector so the L2 shrink costs one multiplication. Labels are split into groups of
/// at most eight, at least one per core, that each walk the rows in the same seeded order (so the result does not
/// depend on the grouping) and update their labels as the lanes of one vector.
/// </para>
/// </summary>
public static class NbLogisticRegression
{
    // scikit-learn damps the intercept's steps on sparse rows, which move it on every row
    private const double InterceptDecay = 0.01;
    private const double MinScale = 1e-9;

    public static LinearModel Fit(
        IReadOnlyList<SparseRow> rows,
        LabelMatrix labels,
        int featureCount,
        NbLogisticOptions options,
        int? maxDegreeOfParallelism = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (labels.Rows != rows.Count || rows.Count == 0)
        {
            throw new ArgumentException($"{rows.Count} rows but {labels.Rows} label rows", nameof(labels));
        }

        SparseRow.RequireColumnsBelow(rows, featureCount, nameof(rows));

        var labelCount = labels.Labels;
        var ratio = LogCountRatios(rows, labels, featureCount);
        var cores = Math.Clamp(maxDegreeOfParallelism ?? Environment.ProcessorCount, 1, Math.Max(1, labelCount));
        var groupCount = Math.Max(cores, (labelCount + Group.Lanes - 1) / Group.Lanes);
        var groups = Enumerable.Range(0, groupCount)
            .Select(g => Enumerable.Range(0, labelCount).Where(l => l % groupCount == g).ToArray())
            .Where(members => members.Length > 0)
            .ToArray();
        var weights = new float[(long)featureCount * labelCount];
        var intercepts = new double[labelCount];
        Parallel.ForEach(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = cores, CancellationToken = cancellationToken },
            group => new Group(group, featureCount, labelCount, ratio, options, rows.Count)
                .Train(rows, labels, weights, intercepts, cancellationToken));

        var rowOfFeature = new int[featureCount];
        for (var f = 0; f < featureCount; f++)
        {
            rowOfFeature[f] = f;
        }

        return new LinearModel(SgdLoss.LogLoss, featureCount, rowOfFeature, weights, intercepts);
    }

    /// <summary>The log-count ratio of every feature for every label, feature-major (<c>[f * labels + l]</c>).</summary>
    internal static float[] LogCountRatios(IReadOnlyList<SparseRow> rows, LabelMatrix labels, int featureCount)
    {
        var labelCount = labels.Labels;
        var positive = new double[(long)featureCount * labelCount];
        var all = new double[featureCount];
        for (var r = 0; r < rows.Count; r++)
        {
            var truth = labels.Row(r);
            foreach (var f in rows[r].Indices)
            {
                all[f]++;
                for (var l = 0; l < labelCount; l++)
                {
                    if (truth[l])
                    {
                        positive[((long)f * labelCount) + l]++;
                    }
                }
            }
        }

        // p = 1 + positive count, q = 1 + negative count, each normalized by its L1 norm over the features
        var pNorm = new double[labelCount];
        var qNorm = new double[labelCount];
        for (var f = 0; f < featureCount; f++)
        {
            for (var l = 0; l < labelCount; l++)
            {
                var p = positive[((long)f * labelCount) + l];
                pNorm[l] += 1 + p;
                qNorm[l] += 1 + all[f] - p;
            }
        }

        var ratio = new float[positive.Length];
        for (var f = 0; f < featureCount; f++)
        {
            for (var l = 0; l < labelCount; l++)
            {
                var p = positive[((long)f * labelCount) + l];
                ratio[((long)f * labelCount) + l] = (float)Math.Log((1 + p) / pNorm[l] / ((1 + all[f] - p) / qNorm[l]));
            }
        }

        return ratio;
    }

    /// <summary>
    /// The averaged-SGD state of up to eight labels, the lanes of one 256-bit vector. Feature f owns one block of
    /// floats: the group's weights v, the average's numerator and the labels' log-count ratios side by side
    /// (packed without padding), so a row's step touches about one cache line per feature. A vector load at a
    /// segment reads past its lanes into the next floats; stores blend those lanes back to the values just read.
    /// Each lane computes what a scalar loop over the labels would, in the same order and precision.
    /// </summary>
    private sealed class Group
    {
        public const int Lanes = 8;

        private readonly int[] _labels;
        private readonly int _size;
        private readonly int _block;
        private readonly NbLogisticOptions _options;
        private readonly double _alpha;
        private readonly float[] _state;
        private readonly double[] _scale;
        private readonly double[] _intercept;
        private readonly double[] _averageA;
        private readonly double[] _averageB;
        private readonly double[] _averageIntercept;
        private readonly Vector256<float> _ownLanes;

        public Group(int[] labels, int featureCount, int labelCount, float[] ratio, NbLogisticOptions options, int rowCount)
        {
            _labels = labels;
            _size = labels.Length;
            _block = 3 * _size;
            _options = options;
            _alpha = 1.0 / (options.C * rowCount);
            // one vector's worth of slack after the last block, for the loads that read past it
            _state = new float[((long)featureCount * _block) + Lanes];
            Span<int> own = stackalloc int[Lanes];
            own[.._size].Fill(-1);
            _ownLanes = Vector256.Create<int>(own).AsSingle();
            for (long f = 0; f < featureCount; f++)
            {
                for (var j = 0; j < _size; j++)
                {
                    _state[(f * _block) + (2 * _size) + j] = ratio[(f * labelCount) + labels[j]];
                }
            }

            _scale = Enumerable.Repeat(1.0, _size).ToArray();
            _intercept = new double[_size];
            _averageA = new double[_size];
            _averageB = Enumerable.Repeat(1.0, _size).ToArray();
            _averageIntercept = new double[_size];
        }

        public void Train(IReadOnlyList<SparseRow> rows, LabelMatrix labels, float[] weights, double[] intercepts, CancellationToken cancellationToken)
        {
            var order = Enumerable.Range(0, rows.Count).ToArray();
            var random = new Random(_options.Seed);

            // Bottou's heuristic offset of the "optimal" schedule eta = 1 / (alpha (t0 + t - 1)), as scikit-learn's
            var typicalWeight = Math.Sqrt(1.0 / Math.Sqrt(_alpha));
            var t0 = 1.0 / (typicalWeight * _alpha);
            Span<double> dot = stackalloc double[Lanes];
            Span<float> step = stackalloc float[Lanes];
            Span<float> averageA = stackalloc float[Lanes];
            long t = 0;
            for (var epoch = 0; epoch < _options.Epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                random.Shuffle(order);
                foreach (var r in order)
                {
                    t++;
                    var eta = 1.0 / (_alpha * (t0 + t - 1));
                    var x = rows[r];
                    Margins(x, dot);
                    var truth = labels.Row(r);
                    for (var j = 0; j < _size; j++)
                    {
                        var y = truth[_labels[j]] ? 1.0 : -1.0;
                        var margin = (_scale[j] * dot[j]) + _intercept[j];
                        var gradient = LossFunctions.Derivative(SgdLoss.LogLoss, margin, y);
                        _scale[j] *= 1 - (eta * _alpha);
                        if (_scale[j] < MinScale)
                        {
                            Rescale(j);
                        }

                        step[j] = (float)(-eta * gradient / _scale[j]);
                        averageA[j] = (float)_averageA[j];
                        _intercept[j] -= eta * gradient * InterceptDecay;
                    }

                    Update(x, step, averageA);
                    Average(t);
                }
            }

            var labelCount = intercepts.Length;
            for (var j = 0; j < _size; j++)
            {
                var l = _labels[j];
                intercepts[l] = _averageIntercept[j];
                for (long f = 0; f < (_state.Length - Lanes) / _block; f++)
                {
                    var block = f * _block;
                    var averaged = (_state[block + _size + j] + (_averageA[j] * _state[block + j])) / _averageB[j];
                    weights[(f * labelCount) + l] = (float)(averaged * _state[block + (2 * _size) + j]);
                }
            }
        }

        /// <summary>The unscaled margins <c>v . (r x)</c> of the group's labels (float products summed in double).</summary>
        private void Margins(SparseRow x, Span<double> dot)
        {
            ref var state = ref MemoryMarshal.GetArrayDataReference(_state);
            var low = Vector256<double>.Zero;
            var high = Vector256<double>.Zero;
            var indices = x.Indices;
            var values = x.Values;
            for (var k = 0; k < indices.Length; k++)
            {
                ref var v = ref Unsafe.Add(ref state, (nint)indices[k] * _block);
                var products = Vector256.LoadUnsafe(ref v) * Vector256.LoadUnsafe(ref Unsafe.Add(ref v, 2 * _size)) * values[k];
                low += Vector256.WidenLower(products);
                high += Vector256.WidenUpper(products);
            }

            low.CopyTo(dot);
            high.CopyTo(dot[Vector256<double>.Count..]);
        }

        /// <summary><c>v += step (r x)</c>, keeping the average's numerator unchanged by the move.</summary>
        private void Update(SparseRow x, ReadOnlySpan<float> step, ReadOnlySpan<float> averageA)
        {
            ref var state = ref MemoryMarshal.GetArrayDataReference(_state);
            var steps = Vector256.Create(step);
            var a = Vector256.Create(averageA);
            var indices = x.Indices;
            var values = x.Values;
            for (var k = 0; k < indices.Length; k++)
            {
                ref var v = ref Unsafe.Add(ref state, (nint)indices[k] * _block);
                ref var numerator = ref Unsafe.Add(ref v, _size);
                var weights = Vector256.LoadUnsafe(ref v);
                var sums = Vector256.LoadUnsafe(ref numerator);
                var change = steps * Vector256.LoadUnsafe(ref Unsafe.Add(ref v, 2 * _size)) * values[k];

                // v first: its spare lanes are the numerator's first lanes, rewritten right after with their new values
                Vector256.ConditionalSelect(_ownLanes, weights + change, weights).StoreUnsafe(ref v);
                Vector256.ConditionalSelect(_ownLanes, sums - (a * change), sums).StoreUnsafe(ref numerator);
            }
        }

        /// <summary>
        /// Folds the step's weights into the running average <c>avg = (numerator + A v) / B</c> with mu = 1/t:
        /// <c>avg_t = (1 - mu) avg_{t-1} + mu scale v</c> costs a few multiplications per label, not a pass
        /// over the features.
        /// </summary>
        private void Average(long t)
        {
            var mu = 1.0 / t;
            for (var j = 0; j < _size; j++)
            {
                if (t > 1)
                {
                    _averageB[j] /= 1 - mu;
                }

                _averageA[j] += mu * _averageB[j] * _scale[j];
                _averageIntercept[j] += (_intercept[j] - _averageIntercept[j]) * mu;
            }
        }

        /// <summary>Folds the scale into the weights before it underflows (the average is unchanged).</summary>
        private void Rescale(int j)
        {
            var scale = _scale[j];
            for (var i = j; i < _state.Length - Lanes; i += _block)
            {
                _state[i] = (float)(_state[i] * scale);
            }

            _averageA[j] /= scale;
            _scale[j] = 1;
        }
    }
}
