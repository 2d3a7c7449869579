namespace TagOlym.Core.Features;

/// <summary>One sparse row: strictly increasing column indices and their values.</summary>
public readonly record struct SparseRow(int[] Indices, float[] Values)
{
    public static SparseRow Empty { get; } = new([], []);

    public int Count => Indices.Length;

    /// <summary>
    /// Throws unless every row's columns lie in <c>0..featureCount-1</c> (rows keep their columns ascending, so the
    /// first and last say it): learners index their weights without bounds checks, and make sure they may.
    /// </summary>
    public static void RequireColumnsBelow(IEnumerable<SparseRow> rows, int featureCount, string paramName)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            if (row.Indices.Length > 0 && (row.Indices[0] < 0 || row.Indices[^1] >= featureCount))
            {
                throw new ArgumentException($"a row has a feature outside 0..{featureCount - 1}", paramName);
            }
        }
    }
}
