namespace TagOlym.Core.Labels;

/// <summary>
/// A dense boolean matrix of posts x labels: row <c>i</c>, column <c>j</c> is true when post <c>i</c> carries label <c>j</c>.
/// Stored row-major in one array, so a row is a contiguous span.
/// </summary>
public sealed class LabelMatrix
{
    private readonly bool[] _cells;

    public LabelMatrix(int rows, int labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(labels);
        Rows = rows;
        Labels = labels;
        _cells = new bool[checked(rows * labels)];
    }

    public int Rows { get; }

    public int Labels { get; }

    public bool this[int row, int label]
    {
        get => _cells[Offset(row, label)];
        set => _cells[Offset(row, label)] = value;
    }

    public Span<bool> Row(int row) => _cells.AsSpan(Offset(row, 0), Labels);

    /// <summary>How many rows carry each label.</summary>
    public int[] ColumnCounts()
    {
        var counts = new int[Labels];
        for (var i = 0; i < Rows; i++)
        {
            var row = Row(i);
            for (var j = 0; j < Labels; j++)
            {
                if (row[j])
                {
                    counts[j]++;
                }
            }
        }

        return counts;
    }

    /// <summary>How many rows carry both label <c>i</c> and label <c>j</c>, at <c>[i][j]</c>; the diagonal is <see cref="ColumnCounts"/>.</summary>
    public int[][] Cooccurrence()
    {
        var counts = new int[Labels][];
        for (var j = 0; j < Labels; j++)
        {
            counts[j] = new int[Labels];
        }

        for (var i = 0; i < Rows; i++)
        {
            var row = Row(i);
            for (var a = 0; a < Labels; a++)
            {
                if (!row[a])
                {
                    continue;
                }

                for (var b = 0; b < Labels; b++)
                {
                    counts[a][b] += row[b] ? 1 : 0;
                }
            }
        }

        return counts;
    }

    /// <summary>A new matrix holding the given rows, in the given order.</summary>
    public LabelMatrix SelectRows(IReadOnlyList<int> rows)
    {
        var selected = new LabelMatrix(rows.Count, Labels);
        for (var i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(selected.Row(i));
        }

        return selected;
    }

    private int Offset(int row, int label)
    {
        if ((uint)row >= (uint)Rows || (uint)label >= (uint)Labels)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"cell ({row}, {label}) is outside a {Rows} x {Labels} matrix");
        }

        return (row * Labels) + label;
    }
}
