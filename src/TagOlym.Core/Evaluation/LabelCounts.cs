using TagOlym.Core.Labels;

namespace TagOlym.Core.Evaluation;

/// <summary>
/// The sufficient statistics of every metric here: per label, the true positives, the predicted positives and the
/// support (true positives + false negatives), over a number of posts. Built by one pass over two label matrices.
/// </summary>
public sealed class LabelCounts
{
    private readonly long[] _truePositives;
    private readonly long[] _predicted;
    private readonly long[] _support;

    /// <summary>Empty counts over <paramref name="labels"/> labels, filled with <see cref="Add"/>.</summary>
    internal LabelCounts(int labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(labels);
        _truePositives = new long[labels];
        _predicted = new long[labels];
        _support = new long[labels];
    }

    /// <summary>Counts built from raw numbers, for tests and for callers that already hold them.</summary>
    public LabelCounts(IReadOnlyList<long> truePositives, IReadOnlyList<long> predicted, IReadOnlyList<long> support, long rows)
    {
        ArgumentNullException.ThrowIfNull(truePositives);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(support);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (predicted.Count != truePositives.Count || support.Count != truePositives.Count)
        {
            throw new ArgumentException("true positives, predicted and support must have one entry per label");
        }

        for (var j = 0; j < truePositives.Count; j++)
        {
            if (truePositives[j] < 0 || truePositives[j] > predicted[j] || truePositives[j] > support[j] ||
                predicted[j] > rows || support[j] > rows)
            {
                throw new ArgumentException($"label {j}: need 0 <= tp <= predicted, support <= rows");
            }
        }

        _truePositives = [.. truePositives];
        _predicted = [.. predicted];
        _support = [.. support];
        Rows = rows;
    }

    /// <summary>How many posts were counted.</summary>
    public long Rows { get; private set; }

    public int Labels => _support.Length;

    public IReadOnlyList<long> TruePositives => _truePositives;

    public IReadOnlyList<long> Predicted => _predicted;

    /// <summary>Posts that truly carry each label (scikit-learn's <c>true_sum</c>).</summary>
    public IReadOnlyList<long> Support => _support;

    public long TotalTruePositives => _truePositives.Sum();

    public long TotalPredicted => _predicted.Sum();

    public long TotalSupport => _support.Sum();

    /// <summary>Counts over every row of two matrices of the same shape.</summary>
    public static LabelCounts Of(LabelMatrix truth, LabelMatrix predicted)
    {
        CheckSameShape(truth, predicted);
        var counts = new LabelCounts(truth.Labels);
        for (var i = 0; i < truth.Rows; i++)
        {
            counts.Add(truth.Row(i), predicted.Row(i));
        }

        return counts;
    }

    /// <summary>Counts over the given rows only (a slice); a row listed twice counts twice.</summary>
    public static LabelCounts Of(LabelMatrix truth, LabelMatrix predicted, IEnumerable<int> rows)
    {
        CheckSameShape(truth, predicted);
        ArgumentNullException.ThrowIfNull(rows);
        var counts = new LabelCounts(truth.Labels);
        foreach (var i in rows)
        {
            counts.Add(truth.Row(i), predicted.Row(i));
        }

        return counts;
    }

    internal static void CheckSameShape(LabelMatrix truth, LabelMatrix predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Rows != predicted.Rows || truth.Labels != predicted.Labels)
        {
            throw new ArgumentException(
                $"truth is {truth.Rows} x {truth.Labels} but predictions are {predicted.Rows} x {predicted.Labels}");
        }
    }

    /// <summary>Adds one post: its true and predicted label rows.</summary>
    internal void Add(ReadOnlySpan<bool> truth, ReadOnlySpan<bool> predicted)
    {
        if (truth.Length != Labels || predicted.Length != Labels)
        {
            throw new ArgumentException($"rows must have {Labels} labels");
        }

        for (var j = 0; j < truth.Length; j++)
        {
            var t = truth[j];
            var p = predicted[j];
            if (t)
            {
                _support[j]++;
            }

            if (p)
            {
                _predicted[j]++;
                if (t)
                {
                    _truePositives[j]++;
                }
            }
        }

        Rows++;
    }
}
