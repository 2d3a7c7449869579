using TagOlym.Core.Features;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Learning;

/// <summary>What the trainer reports after each epoch of each label.</summary>
/// <param name="Label">The label's column.</param>
/// <param name="Epoch">Epochs done for this label (1-based).</param>
/// <param name="ValidationScore">Accuracy on the early-stopping hold-out, or NaN without early stopping.</param>
/// <param name="Finished">True on the label's last report.</param>
public readonly record struct SgdProgress(int Label, int Epoch, double ValidationScore, bool Finished);

/// <summary>
/// Trains one SGD binary classifier per label (one-vs-rest), as scikit-learn's <c>SGDClassifier</c> in a
/// <c>MultiOutputClassifier</c> does. The labels are split into groups of at most eight, at least one per core;
/// each group walks the rows once per epoch and updates all its labels at once as the lanes of one vector. Every label sees the same shuffled order (the anchor seeds every label's classifier
/// alike) and one shared early-stopping hold-out, so the result does not depend on how labels are grouped.
/// </summary>
public static class OneVsRestSgd
{
    public static LinearModel Fit(
        IReadOnlyList<SparseRow> rows,
        LabelMatrix labels,
        int featureCount,
        SgdOptions options,
        IProgress<SgdProgress>? progress = null,
        int? maxDegreeOfParallelism = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (labels.Rows != rows.Count)
        {
            throw new ArgumentException($"{rows.Count} rows but {labels.Rows} label rows", nameof(labels));
        }

        SparseRow.RequireColumnsBelow(rows, featureCount, nameof(rows));

        var (train, holdout) = SplitHoldout(rows.Count, options);
        var cores = Math.Max(1, maxDegreeOfParallelism ?? Environment.ProcessorCount);
        var groupCount = Math.Max(Math.Min(cores, labels.Labels), (labels.Labels + SgdLabelGroup.Lanes - 1) / SgdLabelGroup.Lanes);
        var groups = Group(labels, groupCount, cores)
            .Select(members => new SgdLabelGroup(members, featureCount, options))
            .ToArray<SgdLabelGroup?>();

        Parallel.ForEach(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = cores, CancellationToken = cancellationToken },
            group => group!.Train(rows, labels, train, holdout, progress, cancellationToken));

        return Assemble(groups, labels.Labels, featureCount, options.Loss);
    }

    /// <summary>
    /// Which labels share a group. A group walks the rows until its slowest label stops, and labels with more
    /// positive rows take more epochs: when there are more groups than cores, labels of similar size are grouped
    /// (so the small ones, most of them, stop together); otherwise they are dealt out in turn, so the cores,
    /// one group each, finish together.
    /// </summary>
    private static IEnumerable<int[]> Group(LabelMatrix labels, int groupCount, int cores)
    {
        if (groupCount <= cores)
        {
            return Enumerable.Range(0, groupCount)
                .Select(g => Enumerable.Range(0, labels.Labels).Where(l => l % groupCount == g).ToArray())
                .Where(members => members.Length > 0);
        }

        var positives = labels.ColumnCounts();
        return Enumerable.Range(0, labels.Labels)
            .OrderByDescending(l => positives[l])
            .ThenBy(l => l)
            .Chunk(SgdLabelGroup.Lanes)
            .Select(chunk => chunk.Order().ToArray());
    }

    /// <summary>The rows to learn from and the early-stopping hold-out (a seeded random tenth by default).</summary>
    internal static (int[] Train, int[] Holdout) SplitHoldout(int rowCount, SgdOptions options)
    {
        var all = Enumerable.Range(0, rowCount).ToArray();
        if (!options.EarlyStopping)
        {
            return (all, []);
        }

        var holdoutCount = (int)Math.Ceiling(options.ValidationFraction * rowCount);
        if (holdoutCount == 0 || holdoutCount >= rowCount)
        {
            throw new ArgumentException(
                $"early stopping needs at least two rows to hold out {options.ValidationFraction:P0} of; got {rowCount}");
        }

        new Random(options.Seed).Shuffle(all);
        var holdout = all[..holdoutCount];
        var train = all[holdoutCount..];
        Array.Sort(holdout);
        Array.Sort(train);
        return (train, holdout);
    }

    /// <summary>
    /// Keeps only features with a non-zero weight for some label, in one row-major table. Each group hands over
    /// its weights in a compact table and is then released, so the learners' state (two floats per label and
    /// feature) and the final table (one float per label and stored feature) are never all alive at once.
    /// </summary>
    private static LinearModel Assemble(SgdLabelGroup?[] groups, int labelCount, int featureCount, SgdLoss loss)
    {
        var rowOfFeature = new int[featureCount];
        var stored = 0;
        for (var f = 0; f < featureCount; f++)
        {
            var any = false;
            foreach (var group in groups)
            {
                any |= group!.HasWeight(f);
            }

            rowOfFeature[f] = any ? stored++ : -1;
        }

        var intercepts = new double[labelCount];
        var compact = new (int[] Labels, float[] Weights)[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            compact[g] = groups[g]!.TakeWeights(rowOfFeature, stored, intercepts);
            groups[g] = null;
            GC.Collect();
        }

        var weights = new float[(long)stored * labelCount];
        foreach (var (labels, groupWeights) in compact)
        {
            for (var row = 0; row < stored; row++)
            {
                for (var l = 0; l < labels.Length; l++)
                {
                    weights[((long)row * labelCount) + labels[l]] = groupWeights[((long)row * labels.Length) + l];
                }
            }
        }

        return new LinearModel(loss, featureCount, rowOfFeature, weights, intercepts);
    }
}
