namespace TagOlym.Core.Features;

/// <summary>
/// Two TF-IDF blocks side by side: the whole post's (columns 0..Body.FeatureCount) and the title's, with its own
/// vocabulary (the next Title.FeatureCount columns), scaled by <see cref="TitleWeight"/>. A title says in a few
/// words what a post is about; its own block lets the learner weigh a word in the title apart from the same word
/// in the body. Each block is L2-normalized on its own, so the title block's norm is the weight (or 0 without a title).
/// Immutable and safe to use from many threads at once.
/// </summary>
public sealed class TitledVectorizer
{
    public TitledVectorizer(TfidfVectorizer body, TfidfVectorizer title, double titleWeight)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(title);
        if (!double.IsFinite(titleWeight) || titleWeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(titleWeight), titleWeight, "title_block_weight must be a positive number");
        }

        Body = body;
        Title = title;
        TitleWeight = titleWeight;
    }

    public TfidfVectorizer Body { get; }

    public TfidfVectorizer Title { get; }

    public double TitleWeight { get; }

    public int FeatureCount => Body.FeatureCount + Title.FeatureCount;

    /// <summary>Fits both blocks (same options, separate vocabularies) on the training posts' preprocessed
    /// texts and titles, and returns their concatenated rows.</summary>
    public static (TitledVectorizer Vectorizer, SparseRow[] Rows) FitTransform(
        IReadOnlyList<string> bodies, IReadOnlyList<string> titles, TfidfOptions options, double titleWeight)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        ArgumentNullException.ThrowIfNull(titles);
        if (bodies.Count != titles.Count)
        {
            throw new ArgumentException($"{bodies.Count} posts but {titles.Count} titles", nameof(titles));
        }

        var (body, bodyRows) = TfidfVectorizer.FitTransform(bodies, options);
        var (title, titleRows) = TfidfVectorizer.FitTransform(titles, options);
        var vectorizer = new TitledVectorizer(body, title, titleWeight);
        var rows = new SparseRow[bodyRows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = vectorizer.Concatenate(bodyRows[i], titleRows[i]);
            bodyRows[i] = titleRows[i] = default;
        }

        return (vectorizer, rows);
    }

    /// <summary>The row of one post from its preprocessed text and its preprocessed title.</summary>
    public SparseRow Transform(ReadOnlySpan<char> body, ReadOnlySpan<char> title) =>
        Concatenate(Body.Transform(body), Title.Transform(title));

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
