using TagOlym.Core.Labels;

namespace TagOlym.Core.Data;

/// <summary>The taxonomy mapping of a record: which labels its raw tags give.</summary>
public static class RecordLabels
{
    /// <summary>
    /// Clears <paramref name="row"/> and sets the labels the record's tags map to (none when its tags are missing
    /// or unusable); returns the row.
    /// </summary>
    public static Span<bool> Map(Taxonomy taxonomy, PostRecord record, Span<bool> row)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        ArgumentNullException.ThrowIfNull(record);
        row.Clear();
        if (record.HasTags)
        {
            taxonomy.MarkLabels(record.Tags!, row);
        }

        return row;
    }
}
