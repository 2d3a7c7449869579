namespace TagOlym.Core.Features;

/// <summary>
/// The features of a post as a fitted pipeline sees them: the TF-IDF block of its whole preprocessed text
/// (columns 0..Body.FeatureCount) and, when the model has one, the block of its preprocessed title with its own
/// vocabulary (the next Title.FeatureCount columns), scaled by <see cref="TitleWeight"/>. A title says in a few
/// words what a post is about; its own block lets a learner weigh a word in the title apart from the same word in
/// the body. Each block is L2-normalized on its own, so the title block's norm is the weight (or 0 without a title).
/// Immutable and safe to use from many threads at once.
/// </summary>
public sealed class PostVectorizer
{
    /// <param name="title">The title's block, or null for a model without one (then the weight must be 0).</param>
    public PostVectorizer(TfidfVectorizer body, TfidfVectorizer? title = null, double titleWeight = 0)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (title is not null && (!double.IsFinite(titleWeight) || titleWeight <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(titleWeight), titleWeight, "title_block_weight must be a positive number");
        }

        Body = body;
        Title = title;
        TitleWeight = title is null ? 0 : titleWeight;
    }

    public TfidfVectorizer Body { get; }

    public TfidfVectorizer? Title { get; }

    public double TitleWeight { get; }

    /// <summary>Whether posts need their preprocessed title as well as their text.</summary>
    public bool HasTitle => Title is not null;

    public int FeatureCount => Body.FeatureCount + (Title?.FeatureCount ?? 0);

    /// <summary>
    /// Fits the body block on the training posts' preprocessed texts and, when <paramref name="titleWeight"/> is
    /// positive, the title block (same options, its own vocabulary) on their preprocessed titles; returns the rows.
    /// </summary>
    public static (PostVectorizer Vectorizer, SparseRow[] Rows) FitTransform(
        IReadOnlyList<string> bodies, IReadOnlyList<string>? titles, TfidfOptions options, double titleWeight)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        var (body, rows) = TfidfVectorizer.FitTransform(bodies, options);
        if (titleWeight == 0)
        {
            return (new PostVectorizer(body), rows);
        }

        if (titles is null || bodies.Count != titles.Count)
        {
            throw new ArgumentException($"{bodies.Count} posts but {titles?.Count ?? 0} titles", nameof(titles));
        }

        var (title, titleRows) = TfidfVectorizer.FitTransform(titles, options);
        var vectorizer = new PostVectorizer(body, title, titleWeight);
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = vectorizer.Concatenate(rows[i], titleRows[i]);
            titleRows[i] = default;
        }

        return (vectorizer, rows);
    }

    /// <summary>The row of one post from its preprocessed text and title (the title is ignored without a title block).</summary>
    public SparseRow Transform(ReadOnlySpan<char> body, ReadOnlySpan<char> title) =>
        Title is null ? Body.Transform(body) : Concatenate(Body.Transform(body), Title.Transform(title));

    /// <summary>The rows of many posts, on all cores; <paramref name="titles"/> may be null without a title block.</summary>
    public SparseRow[] TransformAll(IReadOnlyList<string> bodies, IReadOnlyList<string>? titles)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        if (HasTitle && (titles is null || titles.Count != bodies.Count))
        {
            throw new ArgumentException("a model with a title block needs every post's preprocessed title", nameof(titles));
        }

        var rows = new SparseRow[bodies.Count];
        Parallel.For(0, rows.Length, i => rows[i] = Transform(bodies[i], HasTitle ? titles![i] : []));
        return rows;
    }

    /// <summary>The n-gram of a feature column; a title column's is marked as such.</summary>
    public string FeatureName(int column) =>
        column < Body.FeatureCount || Title is null ? Body.FeatureName(column) : "title: " + Title.FeatureName(column - Body.FeatureCount);

    /// <summary>The same vectorizer with the blocks' n-gram lookups let go (see <see cref="TfidfVectorizer.WithoutLookup"/>).</summary>
    internal PostVectorizer WithoutLookup() => new(Body.WithoutLookup(), Title?.WithoutLookup(), TitleWeight);

    /// <summary>Builds the blocks' n-gram lookups now (see <see cref="TfidfVectorizer.EnsureLookup"/>).</summary>
    internal void EnsureLookup()
    {
        Body.EnsureLookup();
        Title?.EnsureLookup();
    }

    private SparseRow Concatenate(SparseRow body, SparseRow title)
    {
        if (title.Count == 0)
        {
            return body;
        }

        var indices = new int[body.Count + title.Count];
        var values = new float[indices.Length];
        body.Indices.CopyTo(indices, 0);
        body.Values.CopyTo(values, 0);
        var offset = Body.FeatureCount;
        for (var k = 0; k < title.Count; k++)
        {
            indices[body.Count + k] = offset + title.Indices[k];
            values[body.Count + k] = (float)(title.Values[k] * TitleWeight);
        }

        return new SparseRow(indices, values);
    }
}
