namespace TagOlym.Core.Labels;

/// <summary>
/// The columns of a label matrix: label names in ordinal order, as scikit-learn's MultiLabelBinarizer sorts them,
/// so the anchor's per-label arrays (its <c>threshold</c> list) line up with ours.
/// </summary>
public sealed class LabelIndex
{
    private readonly Dictionary<string, int> _positions;

    public LabelIndex(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Names = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _positions = Names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    public int IndexOf(string label) =>
        _positions.TryGetValue(label, out var i) ? i : throw new KeyNotFoundException($"'{label}' is not a label of this index");

    /// <summary>One row per label set; labels not in the index are an error.</summary>
    public LabelMatrix ToMatrix(IReadOnlyList<IReadOnlyCollection<string>> labelSets)
    {
        ArgumentNullException.ThrowIfNull(labelSets);
        var matrix = new LabelMatrix(labelSets.Count, Count);
        for (var i = 0; i < labelSets.Count; i++)
        {
            foreach (var label in labelSets[i])
            {
                matrix[i, IndexOf(label)] = true;
            }
        }

        return matrix;
    }

    /// <summary>The label names set in one row, in index order.</summary>
    public IReadOnlyList<string> FromRow(ReadOnlySpan<bool> row)
    {
        var labels = new List<string>();
        for (var j = 0; j < row.Length; j++)
        {
            if (row[j])
            {
                labels.Add(Names[j]);
            }
        }

        return labels;
    }
}
