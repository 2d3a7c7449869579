using TagOlym.Core.Features;

namespace TagOlym.Core.Training;

/// <summary>The fitted featurizer and the feature rows of the training posts.</summary>
public sealed record FeaturizedPosts(TfidfVectorizer Vectorizer, SparseRow[] TrainRows);

/// <summary>
/// Step 5 of the flow: TF-IDF fitted on the training posts only. The vectorizer it hands on has let its n-gram
/// lookup go (see <see cref="TfidfVectorizer.WithoutLookup"/>): nothing needs it until the fitted model scores
/// the validation posts, and the learner needs the memory meanwhile.
/// </summary>
public static class FeaturizeStage
{
    public static FeaturizedPosts Run(PreparedPosts train, TfidfOptions options, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        progress?.Report(new TrainingProgress("featurize", 0));
        var (vectorizer, rows) = TfidfVectorizer.FitTransform(train.Texts, options);
        var featurized = new FeaturizedPosts(vectorizer.WithoutLookup(), rows);

        // fitting left as much garbage behind (document frequencies, the lookup) as the learner is about to allocate:
        // this stage made it, so this stage hands it back to the system before the next one starts
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return featurized;
    }
}
