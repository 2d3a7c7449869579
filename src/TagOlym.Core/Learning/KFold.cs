namespace TagOlym.Core.Learning;

/// <summary>Seeded k-fold assignment, for out-of-fold scores: every row is scored by a model that never saw it.</summary>
public static class KFold
{
    /// <summary>The fold (0..k-1) of each of <paramref name="rowCount"/> rows: a seeded shuffle dealt round-robin,
    /// so the folds differ in size by at most one.</summary>
    public static int[] Assign(int rowCount, int folds, int seed)
    {
        if (folds < 2 || folds > rowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"need 2 to {rowCount} folds");
        }

        var order = Enumerable.Range(0, rowCount).ToArray();
        new Random(seed).Shuffle(order);
        var fold = new int[rowCount];
        for (var i = 0; i < order.Length; i++)
        {
            fold[order[i]] = i % folds;
        }

        return fold;
    }
}
