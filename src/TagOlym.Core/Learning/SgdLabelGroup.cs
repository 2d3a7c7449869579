using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TagOlym.Core.Features;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Learning;

/// <summary>
/// The SGD state of up to eight labels trained together: scikit-learn's <c>_plain_sgd</c> for each of them, with
/// its scaled weight vector (<c>w = scale * v</c>, so the L2 shrink is one multiplication) and its cumulative
/// L1 penalty (Tsuruoka et al. 2009: <c>u</c> is the penalty every weight should have had so far, <c>q</c> the
/// penalty each weight did get), so one update costs the row's non-zeros, not the vocabulary size.
/// <para>
/// The labels are the lanes of one 256-bit vector. Feature <c>f</c> owns a block of <c>v</c> for the group's G
/// labels followed by their <c>q</c> (2G floats, packed without padding: memory is what limits the vocabulary),
/// so a row's update touches about one cache line per feature and does the arithmetic of all labels at once.
/// A vector load at a block reads past its G lanes into the next floats; stores blend those lanes back to the
/// values just read, so they are never changed.
/// </para>
/// <para>
/// Averaged SGD keeps, per weight, <c>aw</c> such that the average of all weight vectors so far is
/// <c>(aw + a v) / b</c> with two scalars per label (scikit-learn's formulation): a step changes <c>aw</c> only
/// where it changes <c>v</c>, so averaging too costs the row's non-zeros.
/// </para>
/// </summary>
internal sealed class SgdLabelGroup
{
    public const int Lanes = 8;

    // scikit-learn damps the intercept's steps on sparse data, so that it does not oscillate
    private const double SparseInterceptDecay = 0.01;
    private const double MinWeightScale = 1e-9;
    private const double MinAdaptiveEta = 1e-6;

    private readonly int[] _labels;
    private readonly int _size;
    private readonly SgdOptions _options;
    private readonly bool _l1;
    private readonly float[] _buffer;
    private readonly int _block;
    private readonly int _qOffset;
    private readonly int _averageOffset;
    private readonly bool _average;
    private readonly double[] _averageA = new double[Lanes];
    private readonly double[] _averageB = new double[Lanes];
    private readonly double[] _averageIntercept = new double[Lanes];
    private readonly Vector256<float> _ownLanes;
    private readonly double[] _scale = new double[Lanes];
    private readonly double[] _intercept = new double[Lanes];
    private readonly double[] _u = new double[Lanes];
    private readonly double[] _eta = new double[Lanes];
    private readonly double[] _bestScore = new double[Lanes];
    private readonly double[] _epochLoss = new double[Lanes];
    private readonly double[] _bestLoss = new double[Lanes];
    private readonly int[] _stalledEpochs = new int[Lanes];
    private readonly bool[] _active = new bool[Lanes];
    private readonly double[] _positiveWeight = new double[Lanes];
    private readonly double[] _negativeWeight = new double[Lanes];

    public SgdLabelGroup(int[] labels, int featureCount, SgdOptions options)
    {
        if (labels.Length is 0 or > Lanes)
        {
            throw new ArgumentException($"a group holds 1 to {Lanes} labels", nameof(labels));
        }

        _labels = labels;
        _size = labels.Length;
        _options = options;
        _l1 = options.L1Ratio > 0;

        _average = options.AverageFrom > 0;
        _qOffset = _l1 ? _size : 0;
        _averageOffset = (_l1 ? 2 : 1) * _size;
        _block = _averageOffset + (_average ? _size : 0);
        Array.Fill(_averageB, 1.0);

        // one vector's worth of slack after the last block, for the loads that read past it
        _buffer = new float[checked((featureCount * _block) + Lanes)];
        Span<int> own = stackalloc int[Lanes];
        for (var l = 0; l < _size; l++)
        {
            own[l] = -1;
        }

        _ownLanes = Vector256.Create<int>(own).AsSingle();
        Array.Fill(_scale, 1.0);
        Array.Fill(_eta, options.Eta0);
        Array.Fill(_bestScore, double.NegativeInfinity);
        Array.Fill(_bestLoss, double.PositiveInfinity);
        Array.Fill(_positiveWeight, 1.0);
        Array.Fill(_negativeWeight, 1.0);
    }

    public bool HasWeight(int feature)
    {
        for (var l = 0; l < _size; l++)
        {
            if (FinalWeight(feature, l) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The learned weight: the current one, or the average of all visited ones with averaging.</summary>
    private double FinalWeight(int feature, int l)
    {
        var v = _buffer[(feature * _block) + l];
        return _average
            ? (_buffer[(feature * _block) + _averageOffset + l] + (_averageA[l] * v)) / _averageB[l]
            : v * _scale[l];
    }

    /// <summary>The group's learned weights of the stored features (row-major, its labels side by side) and intercepts.</summary>
    public (int[] Labels, float[] Weights) TakeWeights(int[] rowOfFeature, int stored, double[] intercepts)
    {
        for (var l = 0; l < _size; l++)
        {
            intercepts[_labels[l]] = _average ? _averageIntercept[l] : _intercept[l];
        }

        var weights = new float[(long)stored * _size];
        for (var f = 0; f < rowOfFeature.Length; f++)
        {
            var row = rowOfFeature[f];
            if (row < 0)
            {
                continue;
            }

            for (var l = 0; l < _size; l++)
            {
                weights[((long)row * _size) + l] = (float)FinalWeight(f, l);
            }
        }

        return (_labels, weights);
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
        for (var epoch = 1; epoch <= _options.MaxIterations && _active.Contains(true); epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_options.Shuffle)
            {
                random.Shuffle(order);
            }

            var activeMask = ActiveMask();
            foreach (var r in order)
            {
                var eta = _options.LearningRate switch
                {
                    LearningRateSchedule.Optimal => 1.0 / (_options.Alpha * (optimalInit + step - 1)),
                    LearningRateSchedule.InvScaling => _options.Eta0 / Math.Pow(step, _options.PowerT),
                    _ => _options.Eta0,
                };
                Step(rows[r], labels.Row(r), eta, activeMask, step);
                step++;
            }

            EndEpoch(epoch, rows, labels, holdout, order.Length, progress);
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
    /// depend on nothing but that weight, so both are done in one pass over the row.
    /// </summary>
    private void Step(SparseRow x, ReadOnlySpan<bool> truth, double eta, Vector256<float> activeMask, double step)
    {
        var margins = Dot(x);
        Span<float> update = stackalloc float[Lanes];
        Span<float> owed = stackalloc float[Lanes];
        Span<float> inverseScale = stackalloc float[Lanes];
        Span<float> scale = stackalloc float[Lanes];
        Span<float> averageA = stackalloc float[Lanes];
        var alpha = _options.Alpha;
        var l1Ratio = _options.L1Ratio;
        for (var l = 0; l < _size; l++)
        {
            if (!_active[l])
            {
                continue;
            }

            var etaL = _options.LearningRate == LearningRateSchedule.Adaptive ? _eta[l] : eta;
            var positive = truth[_labels[l]];
            var y = positive ? 1.0 : -1.0;
            var margin = (margins[l] * _scale[l]) + _intercept[l];
            _epochLoss[l] += LossFunctions.Value(_options.Loss, margin, y);
            var change = -etaL * LossFunctions.Derivative(_options.Loss, margin, y)
                * (positive ? _positiveWeight[l] : _negativeWeight[l]);

            _scale[l] *= Math.Max(0, 1.0 - ((1.0 - l1Ratio) * etaL * alpha));
            if (_scale[l] < MinWeightScale)
            {
                Rescale(l);
            }

            update[l] = (float)(change / _scale[l]);
            _intercept[l] += change * SparseInterceptDecay;
            _u[l] += l1Ratio * etaL * alpha;
            owed[l] = (float)_u[l];
            inverseScale[l] = (float)(1 / _scale[l]);
            scale[l] = (float)_scale[l];
            averageA[l] = (float)_averageA[l];
        }

        var averaging = _average && step >= _options.AverageFrom;

        var updates = Vector256.Create<float>(update);
        ref var state = ref MemoryMarshal.GetArrayDataReference(_buffer);
        var indices = x.Indices;
        var values = x.Values;
        var a = Vector256.Create<float>(averageA);
        if (!_l1)
        {
            // a row inside every label's margin (most rows of a rare label, once the hinge loss is learned) moves no
            // weight: skip the pass over its features
            var moves = !Vector256.EqualsAll(updates, Vector256<float>.Zero);
            for (var k = 0; moves && k < indices.Length; k++)
            {
                ref var v = ref Unsafe.Add(ref state, indices[k] * _block);
                var weights = Vector256.LoadUnsafe(ref v);
                var change = updates * values[k];
                Vector256.ConditionalSelect(_ownLanes, weights + change, weights).StoreUnsafe(ref v);
                if (averaging)
                {
                    KeepAverage(ref Unsafe.Add(ref v, _averageOffset), a * change);
                }
            }

            EndAverageStep(averaging, step);
            return;
        }

        var u = Vector256.Create<float>(owed);
        var inverse = Vector256.Create<float>(inverseScale);
        var scales = Vector256.Create<float>(scale);
        for (var k = 0; k < indices.Length; k++)
        {
            ref var v = ref Unsafe.Add(ref state, indices[k] * _block);
            ref var q = ref Unsafe.Add(ref v, _qOffset);
            var weights = Vector256.LoadUnsafe(ref v);
            var penalties = Vector256.LoadUnsafe(ref q);
            var z = weights + (updates * values[k]);

            // the cumulative L1 penalty: move toward zero by what is still owed, never past zero
            var shrunkPositive = Vector256.Max(Vector256<float>.Zero, z - ((u + penalties) * inverse));
            var shrunkNegative = Vector256.Min(Vector256<float>.Zero, z + ((u - penalties) * inverse));
            var w = Vector256.ConditionalSelect(
                Vector256.GreaterThan(z, Vector256<float>.Zero),
                shrunkPositive,
                Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<float>.Zero), shrunkNegative, z));
            w = Vector256.ConditionalSelect(activeMask, w, z);

            // v first: its spare lanes are q's first lanes, rewritten right after with their new values
            Vector256.ConditionalSelect(_ownLanes, w, weights).StoreUnsafe(ref v);
            Vector256.ConditionalSelect(_ownLanes, penalties + (scales * (w - z)), penalties).StoreUnsafe(ref q);
            if (averaging)
            {
                KeepAverage(ref Unsafe.Add(ref v, _averageOffset), a * (w - weights));
            }
        }

        EndAverageStep(averaging, step);
    }

    /// <summary>Keeps the average unchanged by a change of <c>v</c>: <c>aw -= a * dv</c>.</summary>
    private void KeepAverage(ref float aw, Vector256<float> scaledChange)
    {
        var current = Vector256.LoadUnsafe(ref aw);
        Vector256.ConditionalSelect(_ownLanes, current - scaledChange, current).StoreUnsafe(ref aw);
    }

    /// <summary>Folds the new weight vector into the average: <c>avg = (1 - mu) avg + mu w</c> with mu = 1/seen.</summary>
    private void EndAverageStep(bool averaging, double step)
    {
        if (!averaging)
        {
            return;
        }

        var seen = step - _options.AverageFrom + 1;
        var mu = 1.0 / seen;
        for (var l = 0; l < _size; l++)
        {
            if (!_active[l])
            {
                continue;
            }

            if (seen > 1)
            {
                _averageB[l] /= 1.0 - mu;
            }

            _averageA[l] += mu * _averageB[l] * _scale[l];
            _averageIntercept[l] += (_intercept[l] - _averageIntercept[l]) * mu;
        }
    }

    /// <summary>The unscaled margins <c>v . x</c> of all lanes (or <c>aw . x</c> at the average's offset).</summary>
    private Vector256<float> Dot(SparseRow x, int offset = 0)
    {
        ref var state = ref MemoryMarshal.GetArrayDataReference(_buffer);
        var sum = Vector256<float>.Zero;
        var indices = x.Indices;
        var values = x.Values;
        for (var k = 0; k < indices.Length; k++)
        {
            sum += Vector256.LoadUnsafe(ref Unsafe.Add(ref state, (indices[k] * _block) + offset)) * values[k];
        }

        return sum;
    }

    private Vector256<float> ActiveMask()
    {
        Span<int> lanes = stackalloc int[Lanes];
        for (var l = 0; l < _size; l++)
        {
            lanes[l] = _active[l] ? -1 : 0;
        }

        return Vector256.Create<int>(lanes).AsSingle();
    }

    /// <summary>Folds the scale back into the weights before it underflows.</summary>
    private void Rescale(int l)
    {
        var scale = _scale[l];
        for (var offset = l; offset < _buffer.Length - Lanes; offset += _block)
        {
            _buffer[offset] = (float)(_buffer[offset] * scale);
        }

        _averageA[l] /= scale;
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

    /// <summary>
    /// scikit-learn's stopping rule: with early stopping, the hold-out accuracy must beat the best so far by
    /// <c>tol</c>; without, the epoch's training loss must fall below the best by <c>tol</c> per row; after
    /// <c>n_iter_no_change</c> epochs that fail, the label stops (or, adaptive, its step shrinks fivefold).
    /// </summary>
    private void EndEpoch(int epoch, IReadOnlyList<SparseRow> rows, LabelMatrix labels, int[] holdout, int trainRows, IProgress<SgdProgress>? progress)
    {
        var scores = _options.EarlyStopping ? HoldoutAccuracy(rows, labels, holdout) : null;
        for (var l = 0; l < _size; l++)
        {
            if (!_active[l])
            {
                continue;
            }

            var score = scores?[l] ?? double.NaN;
            bool stalled;
            if (scores is not null)
            {
                stalled = score < _bestScore[l] + _options.Tolerance;
                _bestScore[l] = Math.Max(_bestScore[l], score);
            }
            else
            {
                stalled = _epochLoss[l] > _bestLoss[l] - (_options.Tolerance * trainRows);
                _bestLoss[l] = Math.Min(_bestLoss[l], _epochLoss[l]);
            }

            _epochLoss[l] = 0;
            _stalledEpochs[l] = stalled ? _stalledEpochs[l] + 1 : 0;
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
        foreach (var r in holdout)
        {
            var margins = Dot(rows[r]);
            var averaged = _average ? Dot(rows[r], _averageOffset) : default;
            var truth = labels.Row(r);
            for (var l = 0; l < _size; l++)
            {
                var margin = _average
                    ? ((averaged[l] + (_averageA[l] * margins[l])) / _averageB[l]) + _averageIntercept[l]
                    : (margins[l] * _scale[l]) + _intercept[l];
                var predicted = margin > 0;
                correct[l] += predicted == truth[_labels[l]] ? 1 : 0;
            }
        }

        return correct.Select(c => (double)c / holdout.Length).ToArray();
    }
}
