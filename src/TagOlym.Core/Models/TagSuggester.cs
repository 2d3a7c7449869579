namespace TagOlym.Core.Models;

/// <summary>One suggested tag: its score and the threshold it passed.</summary>
public sealed record TagScore(string Tag, double Score, double Threshold);

/// <summary>The suggestions for one post: tags whose score passes the label's threshold, highest score first,
/// and the score of every label (in the model's label order).</summary>
public sealed record PostSuggestion(IReadOnlyList<TagScore> Tags, IReadOnlyList<double> Scores);

/// <summary>
/// Suggests tags with a <see cref="TagModel"/>: its scores, judged by its thresholds, as tags highest first.
/// Holds no mutable state, so one instance serves any number of threads.
/// </summary>
public sealed class TagSuggester(TagModel model)
{
    public TagModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    public PostSuggestion Suggest(string post)
    {
        ArgumentNullException.ThrowIfNull(post);
        var scores = new double[Model.Labels.Count];
        Model.Score(post, scores);
        Span<bool> suggested = stackalloc bool[scores.Length];
        Model.Decide(scores, suggested);
        var tags = new List<TagScore>();
        for (var l = 0; l < scores.Length; l++)
        {
            if (suggested[l])
            {
                tags.Add(new TagScore(Model.Labels[l], scores[l], Model.Thresholds[l]));
            }
        }

        tags.Sort((a, b) => b.Score.CompareTo(a.Score));
        return new PostSuggestion(tags, scores);
    }

    /// <summary>Suggestions for many posts, in input order, computed on all cores.</summary>
    public IReadOnlyList<PostSuggestion> Suggest(IReadOnlyList<string> posts)
    {
        ArgumentNullException.ThrowIfNull(posts);
        var results = new PostSuggestion[posts.Count];
        Parallel.For(0, posts.Count, i => results[i] = Suggest(posts[i]));
        return results;
    }
}
