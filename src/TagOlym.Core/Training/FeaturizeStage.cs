using TagOlym.Core.Features;
using TagOlym.Core.Learning;

namespace TagOlym.Core.Training;

/// <summary>The fitted featurizer and the feature rows of the training posts.</summary>
public sealed record FeaturizedPosts(PostVectorizer Vectorizer, SparseRow[] TrainRows);

/// <summary>
/// Step 5 of the flow: TF-IDF fitted on the training posts only (and the title block on their titles, when the
/// arguments ask for one). The vectorizer it hands on has let its n-gram lookups go (see
/// <see cref="TfidfVectorizer.WithoutLookup"/>): nothing needs them until the fitted model scores the validation
/// posts, and the learner needs the memory meanwhile.
/// </summary>
public static class FeaturizeStage
{
    public static FeaturizedPosts Run(PreparedPosts train, TrainingArgs args, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(args);
        progress?.Report(new TrainingProgress("featurize", 0));
        var (vectorizer, rows) = PostVectorizer.FitTransform(train.Texts, train.Titles, args.Tfidf, args.TitleBlockWeight);
        var featurized = new FeaturizedPosts(vectorizer.WithoutLookup(), rows);

        // fitting left as much garbage behind (document frequencies, the lookup) as the learner is about to allocate:
        // this stage made it, so this stage hands it back to the system before the next one starts
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return featurized;
    }
}
