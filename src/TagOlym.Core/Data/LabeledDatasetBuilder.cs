using TagOlym.Core.Labels;

namespace TagOlym.Core.Data;

/// <summary>
/// Collects clean records and their labels into a <see cref="LabeledDataset"/>; posts are kept compactly (see
/// <see cref="PostTexts"/>) and the label cells in one growing array until the matrix is built.
/// </summary>
public sealed class LabeledDatasetBuilder(Taxonomy taxonomy)
{
    private readonly Taxonomy _taxonomy = taxonomy ?? throw new ArgumentNullException(nameof(taxonomy));
    private readonly int _labelCount = taxonomy.Labels.Count;
    private readonly List<PostId> _ids = [];
    private readonly PostTexts.Builder _posts = new();
    private readonly List<int> _sourceRows = [];
    private readonly List<string[]> _tags = [];
    private bool[] _cells = [];

    public int Count => _posts.Count;

    public void Add(PostRecord record, ReadOnlySpan<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Post is null || labels.Length != _labelCount)
        {
            throw new ArgumentException($"expected a record with a post and {_labelCount} label flags", nameof(record));
        }

        var row = _posts.Count;
        var needed = (row + 1) * _labelCount;
        if (needed > _cells.Length)
        {
            Array.Resize(ref _cells, Math.Max(needed, Math.Max(1024, _cells.Length * 2)));
        }

        labels.CopyTo(_cells.AsSpan(row * _labelCount, _labelCount));
        _ids.Add(record.Id);
        _posts.Add(record.Post);
        _sourceRows.Add(record.Row);
        _tags.Add(record.HasTags ? [.. record.Tags!.Where(_taxonomy.IsMapped).Select(t => string.Intern(Taxonomy.NormalizeTag(t))).Distinct()] : []);
    }

    public LabeledDataset Build()
    {
        var matrix = new LabelMatrix(_posts.Count, _labelCount);
        for (var i = 0; i < _posts.Count; i++)
        {
            _cells.AsSpan(i * _labelCount, _labelCount).CopyTo(matrix.Row(i));
        }

        _cells = [];
        return new LabeledDataset(_taxonomy, _ids.ToArray(), _posts.Build(), matrix, _sourceRows.ToArray(), _tags.ToArray());
    }
}
