using TagOlym.Core.Data;
using TagOlym.Core.Labels;
using TagOlym.Core.Text;

namespace TagOlym.Core.Training;

/// <summary>
/// Posts ready to featurize: each one's id, preprocessed text, preprocessed title (only for a model with a title
/// block, else null) and labels, row by row. The texts are kept as UTF-8 (<see cref="PostTexts"/>: preprocessed
/// text is ASCII, so half the memory of strings, which training needs for the learner) and subsets share them.
/// </summary>
public sealed record PreparedPosts(PostId[] Ids, PostTexts Texts, PostTexts? Titles, LabelMatrix Labels, IReadOnlyList<string[]>? Tags = null)
{
    public int Count => Texts.Count;

    public PreparedPosts Subset(int[] rows) =>
        new([.. rows.Select(r => Ids[r])], Texts.Select(rows), Titles?.Select(rows), Labels.SelectRows(rows), Tags is null ? null : [.. rows.Select(r => Tags[r])]);
}

/// <summary>
/// Step 3 of the flow: every post through <see cref="PostPreprocessor"/> on all cores (and its title, when the
/// model has a title block). Posts left with no word (only math, only stop words) are dropped: no model can say
/// anything of them.
/// </summary>
public static class PreprocessStage
{
    public static (PreparedPosts Posts, int EmptyDropped) Run(
        LabeledDataset data, PreprocessOptions options, bool withTitles = false, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var texts = Texts(data.Posts, options, progress, cancellationToken);
        var titles = withTitles ? PostTexts.From(Titles(data.Posts, options, cancellationToken)) : null;
        var kept = Enumerable.Range(0, texts.Length).Where(i => texts[i].Length > 0).ToArray();
        var all = new PreparedPosts([.. data.Ids], PostTexts.From(texts), titles, data.Labels, data.Tags);
        return (kept.Length == texts.Length ? all : all.Subset(kept), texts.Length - kept.Length);
    }

    /// <summary>The preprocessed title of every post, in order (see <see cref="PostPreprocessor.PreprocessTitle"/>).</summary>
    public static string[] Titles(IReadOnlyList<string> posts, PreprocessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(posts);
        var titles = new string[posts.Count];
        Parallel.For(0, posts.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => titles[i] = PostPreprocessor.PreprocessTitle(posts[i], options));
        return titles;
    }

    /// <summary>The preprocessed text of every post, in order.</summary>
    public static string[] Texts(IReadOnlyList<string> posts, PreprocessOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(posts);
        var texts = new string[posts.Count];
        var done = 0;
        Parallel.For(0, posts.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            texts[i] = PostPreprocessor.Preprocess(posts[i], options);
            if (Interlocked.Increment(ref done) % 4096 == 0)
            {
                progress?.Report(new TrainingProgress("preprocess", (double)done / posts.Count));
            }
        });
        return texts;
    }
}
