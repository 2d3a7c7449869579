namespace TagOlym.Core.Evaluation;

/// <summary>Whether a post belongs to a slice, given its true labels (a row of the truth matrix) and its preprocessed text.</summary>
public delegate bool SlicePredicate(ReadOnlySpan<bool> trueLabels, string preprocessedText);

/// <summary>A named subset of posts to report metrics on (a snorkel slicing function in the anchor).</summary>
public sealed class PostSlice
{
    private readonly SlicePredicate _predicate;

    public PostSlice(string name, SlicePredicate predicate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(predicate);
        Name = name;
        _predicate = predicate;
    }

    /// <summary>The key of the slice in the report, e.g. <c>short_post</c>.</summary>
    public string Name { get; }

    public bool Contains(ReadOnlySpan<bool> trueLabels, string preprocessedText)
    {
        ArgumentNullException.ThrowIfNull(preprocessedText);
        return _predicate(trueLabels, preprocessedText);
    }

    public override string ToString() => Name;
}
