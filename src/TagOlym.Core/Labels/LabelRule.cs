namespace TagOlym.Core.Labels;

/// <summary>
/// One label of a taxonomy and the forms of raw tags that give it. Forms are stored normalized
/// (see <see cref="Taxonomy.NormalizeTag"/>); a normalized tag gets the label when it contains one of
/// <see cref="Contains"/> as a substring or equals one of <see cref="Exact"/>.
/// </summary>
public sealed class LabelRule
{
    public LabelRule(string label, IEnumerable<string>? contains = null, IEnumerable<string>? exact = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Label = label.Trim();
        Contains = Normalize(contains);
        Exact = Normalize(exact);
        if (Contains.Count == 0 && Exact.Count == 0)
        {
            throw new ArgumentException($"label '{Label}' needs at least one form in 'contains' or 'exact'", nameof(contains));
        }
    }

    /// <summary>The label name, as it appears in predictions and in the <see cref="LabelIndex"/>.</summary>
    public string Label { get; }

    /// <summary>Partial forms: a tag that contains one of these (after normalization) gets the label.</summary>
    public IReadOnlyList<string> Contains { get; }

    /// <summary>Whole forms: a tag equal to one of these (after normalization) gets the label.</summary>
    public IReadOnlyList<string> Exact { get; }

    /// <summary>Whether a normalized tag gets this label.</summary>
    public bool Matches(string normalizedTag)
    {
        ArgumentNullException.ThrowIfNull(normalizedTag);
        foreach (var form in Exact)
        {
            if (string.Equals(normalizedTag, form, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var form in Contains)
        {
            if (normalizedTag.Contains(form, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] Normalize(IEnumerable<string>? forms)
    {
        if (forms is null)
        {
            return [];
        }

        var result = new List<string>();
        foreach (var form in forms)
        {
            var normalized = Taxonomy.NormalizeTag(form ?? string.Empty);
            if (normalized.Length == 0)
            {
                throw new ArgumentException("a tag form must not be empty (after lowercasing and trimming)", nameof(forms));
            }

            if (!result.Contains(normalized, StringComparer.Ordinal))
            {
                result.Add(normalized);
            }
        }

        return [.. result];
    }
}
