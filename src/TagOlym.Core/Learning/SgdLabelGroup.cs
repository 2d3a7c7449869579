using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TagOlym.Core.Features;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Learning;

/// <summary>
/// The SGD state of a few labels trained together: scikit-learn's <c>_plain_sgd</c> for each of them, with
/// its scaled weight vector (<c>w = wscale * v</c>, so the L2 shrink is one multiplication) and its cumulative
/// L1 penalty (Tsuruoka et al. 2009: <c>u</c> is the penalty every weight should have had so far, <c>q</c> the
/// penalty each weight did get), so one update costs the row's non-zeros, not the vocabulary size.
/// The state of feature <c>f</c> for the group's labels lies side by side in one array, as (v, q) pairs when
/// there is an L1 part, so one update of a row touches one cache line per feature for all labels.
/// </summary>
internal sealed class SgdLabelGroup
{
    // scikit-learn damps the intercept's steps on sparse data, so that it does not oscillate
    private const double SparseInterceptDecay = 0.01;
    private const double MinWeightScale = 1e-9;
    private const double MinAdaptiveEta = 1e-6;

    private readonly int[] _labels;
    private readonly int _size;
    private readonly SgdOptions _options;
    private readonly int _stride;
    private readonly float[] _state;
    private readonly int[] _activeLabels;
    private int _activeCount;
    private readonly double[] _scale;
    private readonly double[] _intercept;
    private readonly double[] _u;
    private readonly double[] _eta;
    private readonly double[] _bestScore;
    private readonly int[] _stalledEpochs;
    private readonly bool[] _active;
    private readonly double[] _positiveWeight;
    private readonly double[] _negativeWeight;

    public SgdLabelGroup(int[] labels, int featureCount, SgdOptions options)
    {
        _labels = labels;
        _size = labels.Length;
        _options = options;
        _stride = options.L1Ratio > 0 ? 2 : 1;
        _state = new float[checked(featureCount * _size * _stride)];
        _activeLabels = new int[_size];
        _scale = Filled(1.0);
        _intercept = Filled(0.0);
        _u = Filled(0.0);
        _eta = Filled(options.Eta0);
        _bestScore = Filled(double.NegativeInfinity);
        _stalledEpochs = new int[_size];
        _active = new bool[_size];
        _positiveWeight = Filled(1.0);
        _negativeWeight = Filled(1.0);
    }

    public bool HasWeight(int feature)
    {
        var state = _state.AsSpan(feature * _size * _stride, _size * _stride);
        for (var l = 0; l < _size; l++)
        {
            if (state[l * _stride] != 0 && _scale[l] != 0)
            {
                return true;
            }
        }

        return false;
    }

    public void CopyTo(int[] rowOfFeature, float[] weights, double[] intercepts)
    {
        var labelCount = intercepts.Length;
        for (var l = 0; l < _size; l++)
        {
            intercepts[_labels[l]] = _intercept[l];
        }

        for (var f = 0; f < rowOfFeature.Length; f++)
        {
            var row = rowOfFeature[f];
            if (row < 0)
            {
                continue;
            }

            for (var l = 0; l < _size; l++)
            {
                weights[((long)row * labelCount) + _labels[l]] = (float)(_state[(((f * _size) + l) * _stride)] * _scale[l]);
            }
        }
    }

    public void Train(
        IReadOnlyList<SparseRow> rows,
        LabelMatrix labels,
        int[] train,
        int[] holdout,
        IProgress<SgdProgress>? progress,
        CancellationToken cancellationToken)
    {
        for (var l = 0; l < _size; l++)
        {
            _active[l] = StartLabel(l, labels, rows.Count);
            if (!_active[l])
            {
                progress?.Report(new SgdProgress(_labels[l], 0, double.NaN, Finished: true));
            }
        }

        var order = (int[])train.Clone();
        var random = new Random(_options.Seed);
        var step = 1.0;
        var optimalInit = OptimalInit();
        var margins = new double[_size];
        var updates = new double[_size];
        for (var epoch = 1; epoch <= _options.MaxIterations && _active.Contains(true); epoch++)
        {
            _activeCount = 0;
            for (var l = 0; l < _size; l++)
            {
                if (_active[l])
                {
                    _activeLabels[_activeCount++] = l;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (_options.Shuffle)
            {
                random.Shuffle(order);
            }

            foreach (var r in order)
            {
                var x = rows[r];
                var eta = _options.LearningRate switch
                {
                    LearningRateSchedule.Optimal => 1.0 / (_options.Alpha * (optimalInit + step - 1)),
                    LearningRateSchedule.InvScaling => _options.Eta0 / Math.Pow(step, _options.PowerT),
                    _ => _options.Eta0,
                };
                Step(x, labels.Row(r), eta, margins, updates);
                step++;
            }

            EndEpoch(epoch, rows, labels, holdout, progress);
        }

        for (var l = 0; l < _size; l++)
        {
            if (_active[l])
            {
                // max_iter reached without the stopping rule firing: scikit-learn warns and keeps the weights
                progress?.Report(new SgdProgress(_labels[l], _options.MaxIterations, double.NaN, Finished: true));
            }
        }
    }

    /// <summary>
    /// One SGD step on one row for every active label, in scikit-learn's order: margin, L2 shrink (of the scale),
    /// gradient step, then the L1 penalty on the row's features. The gradient step and the L1 penalty of a weight
    /// depend on nothing but that weight, so they are done in one pass over the row.
    /// </summary>
    private void Step(SparseRow x, ReadOnlySpan<bool> truth, double eta, double[] margins, double[] updates)
    {
        var indices = x.Indices;
        var values = x.Values;
        Dot(indices, values, margins);

        var alpha = _options.Alpha;
        var l1Ratio = _options.L1Ratio;
        Span<double> inverseScale = stackalloc double[_size];
        for (var a = 0; a < _activeCount; a++)
        {
            var l = _activeLabels[a];
            var etaL = _options.LearningRate == LearningRateSchedule.Adaptive ? _eta[l] : eta;
            var positive = truth[_labels[l]];
            var y = positive ? 1.0 : -1.0;
            var margin = (margins[l] * _scale[l]) + _intercept[l];
            var update = -etaL * LossFunctions.Derivative(_options.Loss, margin, y)
                * (positive ? _positiveWeight[l] : _negativeWeight[l]);

            _scale[l] *= Math.Max(0, 1.0 - ((1.0 - l1Ratio) * etaL * alpha));
            if (_scale[l] < MinWeightScale)
            {
                Rescale(l);
            }

            updates[l] = update / _scale[l];
            _intercept[l] += update * SparseInterceptDecay;
            _u[l] += l1Ratio * etaL * alpha;
            inverseScale[l] = 1 / _scale[l];
        }

        ref var state = ref MemoryMarshal.GetArrayDataReference(_state);
        var featureStride = _size * _stride;
        for (var k = 0; k < indices.Length; k++)
        {
            double value = values[k];
            ref var feature = ref Unsafe.Add(ref state, indices[k] * featureStride);
            for (var a = 0; a < _activeCount; a++)
            {
                var l = _activeLabels[a];
                ref var v = ref Unsafe.Add(ref feature, l * _stride);
                double z = v + (float)(updates[l] * value);
                if (_stride == 1)
                {
                    v = (float)z;
                    continue;
                }

                // the cumulative L1 penalty: move toward zero by what is still owed, never past zero
                ref var q = ref Unsafe.Add(ref v, 1);
                var w = z;
                if (z > 0)
                {
                    w = Math.Max(0, z - ((_u[l] + q) * inverseScale[l]));
                }
                else if (z < 0)
                {
                    w = Math.Min(0, z + ((_u[l] - q) * inverseScale[l]));
                }

                v = (float)w;
                q += (float)(_scale[l] * (w - z));
            }
        }
    }

    private void Dot(int[] indices, float[] values, double[] margins)
    {
        Array.Clear(margins);
        ref var state = ref MemoryMarshal.GetArrayDataReference(_state);
        var featureStride = _size * _stride;
        for (var k = 0; k < indices.Length; k++)
        {
            ref var feature = ref Unsafe.Add(ref state, indices[k] * featureStride);
            double value = values[k];
            for (var l = 0; l < _size; l++)
            {
                margins[l] += Unsafe.Add(ref feature, l * _stride) * value;
            }
        }
    }

    /// <summary>Folds the scale back into the weights before it underflows.</summary>
    private void Rescale(int l)
    {
        var scale = _scale[l];
        for (var offset = l * _stride; offset < _state.Length; offset += _size * _stride)
        {
            _state[offset] = (float)(_state[offset] * scale);
        }

        _scale[l] = 1;
    }

    /// <summary>Class weights for the label; false when it has a single class and so nothing to learn.</summary>
    private bool StartLabel(int l, LabelMatrix labels, int rowCount)
    {
        var positives = 0;
        for (var r = 0; r < rowCount; r++)
        {
            positives += labels[r, _labels[l]] ? 1 : 0;
        }

        var negatives = rowCount - positives;
        if (positives == 0 || negatives == 0)
        {
            // a constant classifier: always the one class seen
            _intercept[l] = positives == 0 ? -1 : 1;
            return false;
        }

        if (_options.BalancedClassWeight)
        {
            _positiveWeight[l] = rowCount / (2.0 * positives);
            _negativeWeight[l] = rowCount / (2.0 * negatives);
        }

        return true;
    }

    /// <summary>Bottou's heuristic for the optimal schedule's offset, as scikit-learn computes it.</summary>
    private double OptimalInit()
    {
        if (_options.LearningRate != LearningRateSchedule.Optimal)
        {
            return 0;
        }

        var typicalWeight = Math.Sqrt(1.0 / Math.Sqrt(_options.Alpha));
        var initialEta = typicalWeight / Math.Max(1.0, LossFunctions.Derivative(_options.Loss, -typicalWeight, 1.0));
        return 1.0 / (initialEta * _options.Alpha);
    }

    /// <summary>The stopping rule: hold-out accuracy must beat the best so far by <c>tol</c> within n epochs.</summary>
    private void EndEpoch(int epoch, IReadOnlyList<SparseRow> rows, LabelMatrix labels, int[] holdout, IProgress<SgdProgress>? progress)
    {
        if (!_options.EarlyStopping)
        {
            for (var l = 0; l < _size; l++)
            {
                if (_active[l])
                {
                    progress?.Report(new SgdProgress(_labels[l], epoch, double.NaN, Finished: false));
                }
            }

            return;
        }

        var scores = HoldoutAccuracy(rows, labels, holdout);
        for (var l = 0; l < _size; l++)
        {
            if (!_active[l])
            {
                continue;
            }

            var score = scores[l];
            _stalledEpochs[l] = score < _bestScore[l] + _options.Tolerance ? _stalledEpochs[l] + 1 : 0;
            _bestScore[l] = Math.Max(_bestScore[l], score);
            if (_stalledEpochs[l] >= _options.IterationsWithoutChange)
            {
                if (_options.LearningRate == LearningRateSchedule.Adaptive && _eta[l] > MinAdaptiveEta)
                {
                    _eta[l] /= 5;
                    _stalledEpochs[l] = 0;
                }
                else
                {
                    _active[l] = false;
                }
            }

            progress?.Report(new SgdProgress(_labels[l], epoch, score, Finished: !_active[l]));
        }
    }

    private double[] HoldoutAccuracy(IReadOnlyList<SparseRow> rows, LabelMatrix labels, int[] holdout)
    {
        var correct = new int[_size];
        var margins = new double[_size];
        foreach (var r in holdout)
        {
            var x = rows[r];
            Dot(x.Indices, x.Values, margins);
            var truth = labels.Row(r);
            for (var l = 0; l < _size; l++)
            {
                var predicted = (margins[l] * _scale[l]) + _intercept[l] > 0;
                correct[l] += predicted == truth[_labels[l]] ? 1 : 0;
            }
        }

        return correct.Select(c => (double)c / holdout.Length).ToArray();
    }

    private double[] Filled(double value)
    {
        var array = new double[_size];
        Array.Fill(array, value);
        return array;
    }
}
