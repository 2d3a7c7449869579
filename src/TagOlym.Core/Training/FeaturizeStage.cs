using TagOlym.Core.Features;

namespace TagOlym.Core.Training;

/// <summary>The fitted featurizer and the feature rows of every part of the split.</summary>
public sealed record FeaturizedPosts(TfidfVectorizer Vectorizer, Splits<SparseRow[]> Rows);

/// <summary>
/// Step 5 of the flow: TF-IDF fitted on the training posts only, then every part transformed. The vectorizer it
/// hands on has let its n-gram lookup go (see <see cref="TfidfVectorizer.WithoutLookup"/>): nothing needs it
/// until the model meets a new post, and the learner needs the memory.
/// </summary>
public static class FeaturizeStage
{
    public static FeaturizedPosts Run(Splits<PreparedPosts> posts, TfidfOptions options, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(posts);
        progress?.Report(new TrainingProgress("featurize", 0));
        var (vectorizer, trainRows) = TfidfVectorizer.FitTransform(posts.Train.Texts, options);
        var rows = new Splits<SparseRow[]>(trainRows, Transform(vectorizer, posts.Validation.Texts), Transform(vectorizer, posts.Test.Texts));
        return new FeaturizedPosts(vectorizer.WithoutLookup(), rows);
    }

    private static SparseRow[] Transform(TfidfVectorizer vectorizer, string[] texts)
    {
        var rows = new SparseRow[texts.Length];
        Parallel.For(0, texts.Length, i => rows[i] = vectorizer.Transform(texts[i]));
        return rows;
    }
}
