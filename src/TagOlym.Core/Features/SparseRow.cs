namespace TagOlym.Core.Features;

/// <summary>One sparse row: strictly increasing column indices and their values.</summary>
public readonly record struct SparseRow(int[] Indices, float[] Values)
{
    public static SparseRow Empty { get; } = new([], []);

    public int Count => Indices.Length;
}
