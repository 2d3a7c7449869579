using TagOlym.Core.Labels;

namespace TagOlym.Core.Data;

/// <summary>
/// Iterative stratification for multi-label data (Sechidis, Tsoumakas and Vlahavas 2011), over label
/// combinations of a given order (Szymański and Kajdanowicz 2017; order 2 balances every label and every pair
/// of labels), as the anchor splits its data with <c>IterativeStratification(n_splits=3, order=2,
/// sample_distribution_per_fold=[0.7, 0.15, 0.15])</c>.
/// </summary>
/// <remarks>
/// Each round takes the label combination with the fewest rows not yet placed and places each of those rows in
/// the part that still wants the most rows of that combination (ties: the part that wants the most rows overall,
/// then a seeded random pick); rows without labels then fill the parts to their sizes. Rows are visited in a
/// seeded random order, so a seed fixes the split. Row lists and counts are kept per combination, so the cost is
/// linear in the rows times the combinations per row, plus combinations squared for choosing the next one.
/// </remarks>
public static class IterativeStratification
{
    /// <summary>A train/validation/test split of the rows of <paramref name="labels"/>.</summary>
    public static DataSplit Split(LabelMatrix labels, int seed, SplitFractions? fractions = null, int order = 2)
    {
        var folds = AssignFolds(labels, (fractions ?? SplitFractions.Default).ToArray(), seed, order);
        var parts = new SplitPart[folds.Length];
        for (var i = 0; i < folds.Length; i++)
        {
            parts[i] = (SplitPart)folds[i];
        }

        return new DataSplit(parts);
    }

    /// <summary>The fold (0 to <c>fractions.Count - 1</c>) of each row, for any number of folds.</summary>
    public static int[] AssignFolds(LabelMatrix labels, IReadOnlyList<double> fractions, int seed, int order = 2)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(fractions);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        var k = fractions.Count;
        if (k == 0 || fractions.Any(f => !(f >= 0)) || Math.Abs(fractions.Sum() - 1) > 1e-9)
        {
            throw new ArgumentException("fold fractions must be non-negative and add up to 1", nameof(fractions));
        }

        var n = labels.Rows;
        var random = new Random(seed);
        var rowCombinations = BuildCombinations(labels, order);
        var comboCount = rowCombinations.Counts;
        var combos = comboCount.Length;

        // rows of each combination, in a seeded random order
        var visit = new int[n];
        for (var i = 0; i < n; i++)
        {
            visit[i] = i;
        }

        random.Shuffle(visit);
        var comboRows = new int[combos][];
        var fill = new int[combos];
        for (var c = 0; c < combos; c++)
        {
            comboRows[c] = new int[comboCount[c]];
        }

        foreach (var row in visit)
        {
            for (var p = rowCombinations.RowStart[row]; p < rowCombinations.RowStart[row + 1]; p++)
            {
                var c = rowCombinations.RowCombos[p];
                comboRows[c][fill[c]++] = row;
            }
        }

        var remaining = (int[])comboCount.Clone();
        var wantCombo = new double[combos * k];
        for (var c = 0; c < combos; c++)
        {
            for (var f = 0; f < k; f++)
            {
                wantCombo[(c * k) + f] = comboCount[c] * fractions[f];
            }
        }

        var wantFold = new double[k];
        var open = new bool[k];
        for (var f = 0; f < k; f++)
        {
            wantFold[f] = n * fractions[f];
            open[f] = fractions[f] > 0;
        }

        var fold = new int[n];
        Array.Fill(fold, -1);
        var ties = new int[k];

        while (true)
        {
            var next = -1;
            for (var c = 0; c < combos; c++)
            {
                if (remaining[c] > 0 && (next < 0 || remaining[c] < remaining[next]))
                {
                    next = c;
                }
            }

            if (next < 0)
            {
                break;
            }

            foreach (var row in comboRows[next])
            {
                if (fold[row] >= 0)
                {
                    continue;
                }

                var f = Choose(wantCombo.AsSpan(next * k, k), wantFold, open, ties, random);
                fold[row] = f;
                wantFold[f] -= 1;
                for (var p = rowCombinations.RowStart[row]; p < rowCombinations.RowStart[row + 1]; p++)
                {
                    var c = rowCombinations.RowCombos[p];
                    wantCombo[(c * k) + f] -= 1;
                    remaining[c]--;
                }
            }
        }

        // rows without labels fill the folds to their sizes
        foreach (var row in visit)
        {
            if (fold[row] < 0)
            {
                var f = Choose(wantFold, wantFold, open, ties, random);
                fold[row] = f;
                wantFold[f] -= 1;
            }
        }

        return fold;
    }

    /// <summary>The open fold that wants the most by <paramref name="first"/>, then by <paramref name="second"/>, then at random.</summary>
    private static int Choose(ReadOnlySpan<double> first, double[] second, bool[] open, int[] ties, Random random)
    {
        var count = 0;
        for (var f = 0; f < first.Length; f++)
        {
            if (!open[f])
            {
                continue;
            }

            if (count == 0 || first[f] > first[ties[0]] || (first[f] == first[ties[0]] && second[f] > second[ties[0]]))
            {
                ties[0] = f;
                count = 1;
            }
            else if (first[f] == first[ties[0]] && second[f] == second[ties[0]])
            {
                ties[count++] = f;
            }
        }

        return count == 1 ? ties[0] : ties[random.Next(count)];
    }

    private sealed record Combinations(int[] RowStart, int[] RowCombos, int[] Counts);

    /// <summary>For each row, the ids of its label combinations of the given order (with repetition, as <c>itertools.combinations_with_replacement</c>).</summary>
    private static Combinations BuildCombinations(LabelMatrix labels, int order)
    {
        var n = labels.Rows;
        var width = Math.Max(1, labels.Labels);
        if (Math.Pow(width, order) > long.MaxValue / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(order), $"order {order} over {labels.Labels} labels gives too many combinations");
        }

        var ids = new Dictionary<long, int>();
        var counts = new List<int>();
        var rowStart = new int[n + 1];
        var rowCombos = new List<int>();
        var present = new int[labels.Labels];
        var pick = new int[order];
        for (var row = 0; row < n; row++)
        {
            var m = 0;
            var cells = labels.Row(row);
            for (var j = 0; j < cells.Length; j++)
            {
                if (cells[j])
                {
                    present[m++] = j;
                }
            }

            if (m > 0)
            {
                // pick[0] <= pick[1] <= ... over positions in present[0..m)
                Array.Clear(pick);
                while (true)
                {
                    long key = 0;
                    for (var t = 0; t < order; t++)
                    {
                        key = (key * width) + present[pick[t]];
                    }

                    if (!ids.TryGetValue(key, out var id))
                    {
                        id = counts.Count;
                        ids.Add(key, id);
                        counts.Add(0);
                    }

                    counts[id]++;
                    rowCombos.Add(id);

                    var t2 = order - 1;
                    while (t2 >= 0 && pick[t2] == m - 1)
                    {
                        t2--;
                    }

                    if (t2 < 0)
                    {
                        break;
                    }

                    pick[t2]++;
                    for (var u = t2 + 1; u < order; u++)
                    {
                        pick[u] = pick[t2];
                    }
                }
            }

            rowStart[row + 1] = rowCombos.Count;
        }

        return new Combinations(rowStart, [.. rowCombos], [.. counts]);
    }
}
