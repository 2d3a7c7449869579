namespace TagOlym.Core.Models;

/// <summary>
/// Combines the per-label scores of several members into one score per label: each member's score is
/// z-scored with the mean and standard deviation it has on validation (so a margin, a log-odds and a tree
/// ensemble's output count alike), then averaged with a weight per member and label (a weight of 0 leaves a
/// member out of a label). Immutable and safe to use from many threads at once.
/// </summary>
public sealed class ZScoreCombiner : ScoreCombiner
{
    public const string KindName = "zscore";

    /// <param name="means">Member-major: the mean of member m's score for label l at <c>[m * labels + l]</c>.</param>
    /// <param name="deviations">Standard deviations, same layout; each positive.</param>
    /// <param name="weights">Weights, same layout; each at least 0, and some member weighted for every label.</param>
    public ZScoreCombiner(int labelCount, double[] means, double[] deviations, double[] weights)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(deviations);
        ArgumentNullException.ThrowIfNull(weights);
        if (labelCount < 1 || means.Length == 0 || means.Length % labelCount != 0
            || deviations.Length != means.Length || weights.Length != means.Length)
        {
            throw new ArgumentException("the means, deviations and weights must hold one value per member and label");
        }

        if (means.Any(m => !double.IsFinite(m)) || deviations.Any(d => !(d > 0) || !double.IsFinite(d))
            || weights.Any(w => !(w >= 0) || !double.IsFinite(w)))
        {
            throw new ArgumentException("means must be finite, deviations positive and weights at least 0");
        }

        LabelCount = labelCount;
        MemberCount = means.Length / labelCount;
        _means = means;
        _deviations = deviations;
        _weights = weights;
        _weightSums = new double[labelCount];
        for (var l = 0; l < labelCount; l++)
        {
            for (var m = 0; m < MemberCount; m++)
            {
                _weightSums[l] += weights[(m * labelCount) + l];
            }

            if (_weightSums[l] <= 0)
            {
                throw new ArgumentException($"no member has a weight for label {l}", nameof(weights));
            }
        }
    }

    private readonly double[] _means;
    private readonly double[] _deviations;
    private readonly double[] _weights;
    private readonly double[] _weightSums;

    public override string Kind => KindName;

    public int LabelCount { get; }

    public int MemberCount { get; }

    public IReadOnlyList<double> Means => _means;

    public IReadOnlyList<double> Deviations => _deviations;

    public IReadOnlyList<double> Weights => _weights;

    /// <summary>
    /// Fits the means and deviations on each member's validation scores (rows x labels). A member whose score
    /// is constant for a label on validation gets deviation 1, so it adds a constant, not a division by zero.
    /// </summary>
    /// <param name="weights">One weight per member and label (member-major), or null for equal weights.</param>
    public static ZScoreCombiner Fit(IReadOnlyList<double[][]> memberScores, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(memberScores);
        if (memberScores.Count == 0 || memberScores[0].Length == 0)
        {
            throw new ArgumentException("need the validation scores of at least one member", nameof(memberScores));
        }

        var labels = memberScores[0][0].Length;
        var means = new double[memberScores.Count * labels];
        var deviations = new double[means.Length];
        for (var m = 0; m < memberScores.Count; m++)
        {
            var scores = memberScores[m];
            for (var l = 0; l < labels; l++)
            {
                double sum = 0;
                foreach (var row in scores)
                {
                    sum += row[l];
                }

                var mean = sum / scores.Length;
                double squares = 0;
                foreach (var row in scores)
                {
                    squares += (row[l] - mean) * (row[l] - mean);
                }

                var deviation = Math.Sqrt(squares / scores.Length);
                means[(m * labels) + l] = mean;
                deviations[(m * labels) + l] = deviation > 0 && double.IsFinite(deviation) ? deviation : 1;
            }
        }

        return new ZScoreCombiner(labels, means, deviations, weights ?? Enumerable.Repeat(1.0, means.Length).ToArray());
    }

    /// <summary>The combiner as a model-file section: label and member counts, then means, deviations and weights.</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write7BitEncodedInt(LabelCount);
        writer.Write7BitEncodedInt(MemberCount);
        foreach (var values in new[] { Means, Deviations, Weights })
        {
            foreach (var value in values)
            {
                writer.Write(value);
            }
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote; inconsistent values are an <see cref="InvalidDataException"/>.</summary>
    public static ZScoreCombiner Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var labels = reader.Read7BitEncodedInt();
        var members = reader.Read7BitEncodedInt();
        if (labels is < 1 or > 100_000 || members is < 1 or > 1000)
        {
            throw new InvalidDataException($"the combiner declares {members} members and {labels} labels");
        }

        double[] Values() => [.. Enumerable.Range(0, labels * members).Select(_ => reader.ReadDouble())];
        var means = Values();
        var deviations = Values();
        var weights = Values();
        try
        {
            return new ZScoreCombiner(labels, means, deviations, weights);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"the combiner is unusable: {e.Message}", e);
        }
    }

    /// <summary>Member <paramref name="member"/>'s scores, z-scored, into <paramref name="standardized"/>.</summary>
    public void Standardize(int member, ReadOnlySpan<double> scores, Span<double> standardized)
    {
        for (var l = 0; l < LabelCount; l++)
        {
            var i = (member * LabelCount) + l;
            standardized[l] = (scores[l] - _means[i]) / _deviations[i];
        }
    }

    /// <summary>The combined score of each label from all members' raw scores (member-major, members x labels).</summary>
    public override void Combine(ReadOnlySpan<double> memberScores, int memberCount, Span<double> scores)
    {
        if (memberCount != MemberCount || memberScores.Length != MemberCount * LabelCount || scores.Length != LabelCount)
        {
            throw new ArgumentException($"expected {MemberCount} x {LabelCount} member scores and room for {LabelCount}");
        }

        for (var l = 0; l < LabelCount; l++)
        {
            double sum = 0;
            for (var m = 0; m < MemberCount; m++)
            {
                var i = (m * LabelCount) + l;
                var weight = _weights[i];
                if (weight > 0)
                {
                    sum += weight * (memberScores[i] - _means[i]) / _deviations[i];
                }
            }

            scores[l] = sum / _weightSums[l];
        }
    }

    /// <summary>Each member's standardized score of <paramref name="label"/>, its weight, and their weighted mean.</summary>
    public override CombinationExplanation Explain(ReadOnlySpan<double> memberScores, int memberCount, int label)
    {
        var standard = new double[MemberCount];
        var weights = new double[MemberCount];
        for (var m = 0; m < MemberCount; m++)
        {
            var i = (m * LabelCount) + label;
            standard[m] = (memberScores[i] - _means[i]) / _deviations[i];
            weights[m] = _weights[i];
        }

        Span<double> combined = stackalloc double[LabelCount];
        Combine(memberScores, memberCount, combined);
        return new CombinationExplanation(Kind, standard, weights, combined[label]);
    }
}
