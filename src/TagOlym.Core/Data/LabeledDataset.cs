using TagOlym.Core.Labels;

namespace TagOlym.Core.Data;

/// <summary>
/// Clean labeled posts, ready for training: row <c>i</c> is the post <see cref="Posts"/>[i] with id
/// <see cref="Ids"/>[i], read from row <see cref="SourceRows"/>[i] of the source, carrying the labels set in
/// row <c>i</c> of <see cref="Labels"/> (columns in the order of <see cref="LabelIndex"/>).
/// </summary>
public sealed class LabeledDataset
{
    /// <param name="tags">Each post's raw tags that give a label, normalized (see <see cref="Taxonomy.NormalizeTag"/>), when kept.</param>
    public LabeledDataset(Taxonomy taxonomy, IReadOnlyList<PostId> ids, IReadOnlyList<string> posts, LabelMatrix labels, IReadOnlyList<int> sourceRows, IReadOnlyList<string[]>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(posts);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(sourceRows);
        if (ids.Count != posts.Count || labels.Rows != posts.Count || sourceRows.Count != posts.Count)
        {
            throw new ArgumentException($"ids ({ids.Count}), posts ({posts.Count}), label rows ({labels.Rows}) and source rows ({sourceRows.Count}) must have the same length");
        }

        if (labels.Labels != taxonomy.Labels.Count)
        {
            throw new ArgumentException($"the label matrix has {labels.Labels} columns but the taxonomy has {taxonomy.Labels.Count} labels", nameof(labels));
        }

        Taxonomy = taxonomy;
        Ids = ids;
        Posts = posts;
        Labels = labels;
        SourceRows = sourceRows;
        Tags = tags is null || tags.Count == posts.Count ? tags : throw new ArgumentException($"{tags.Count} tag lists for {posts.Count} posts", nameof(tags));
    }

    /// <summary>Each post's raw tags that give a label, normalized; null when the source did not keep them.</summary>
    public IReadOnlyList<string[]>? Tags { get; }

    public Taxonomy Taxonomy { get; }

    /// <summary>The label columns.</summary>
    public LabelIndex LabelIndex => Taxonomy.Labels;

    public IReadOnlyList<PostId> Ids { get; }

    /// <summary>The post texts; from <see cref="DataValidator"/> a <see cref="PostTexts"/>, which decodes each text on access.</summary>
    public IReadOnlyList<string> Posts { get; }

    public LabelMatrix Labels { get; }

    /// <summary>Each row's <see cref="PostRecord.Row"/> in the source, to trace a row back to its line.</summary>
    public IReadOnlyList<int> SourceRows { get; }

    public int Count => Posts.Count;

    /// <summary>The label names of one row.</summary>
    public IReadOnlyList<string> LabelsOf(int row) => LabelIndex.FromRow(Labels.Row(row));

    /// <summary>A dataset of the given rows, in the given order (e.g. <c>split.RowsOf(SplitPart.Train)</c>).</summary>
    public LabeledDataset Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ids = new PostId[rows.Count];
        var sourceRows = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            ids[i] = Ids[rows[i]];
            sourceRows[i] = SourceRows[rows[i]];
        }

        IReadOnlyList<string> posts = Posts is PostTexts texts ? texts.Select(rows) : [.. rows.Select(r => Posts[r])];

        return new LabeledDataset(Taxonomy, ids, posts, Labels.SelectRows(rows), sourceRows, Tags is null ? null : [.. rows.Select(r => Tags[r])]);
    }
}
