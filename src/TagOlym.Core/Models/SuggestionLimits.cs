namespace TagOlym.Core.Models;

/// <summary>
/// A caller's narrowing of a post's suggestions: at most <see cref="Limit"/> tags, each scoring at least
/// <see cref="MinScore"/>. It applies to the tags that already passed the model's own per-label thresholds, so it can
/// only remove tags, never add one.
/// </summary>
public sealed record SuggestionLimits(int? Limit, double? MinScore)
{
    public static SuggestionLimits None { get; } = new(null, null);

    /// <summary><paramref name="tags"/> (highest score first, as <see cref="TagSuggester"/> gives them) narrowed.</summary>
    public IReadOnlyList<TagScore> Apply(IReadOnlyList<TagScore> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (Limit is null && MinScore is null)
        {
            return tags;
        }

        var kept = new List<TagScore>(Math.Min(tags.Count, Limit ?? tags.Count));
        foreach (var tag in tags)
        {
            if (kept.Count == Limit)
            {
                break;
            }

            if (MinScore is not { } floor || tag.Score >= floor)
            {
                kept.Add(tag);
            }
        }

        return kept;
    }
}
