using System.Buffers;
using TagOlym.Core.Features;
using TagOlym.Core.Text;

namespace TagOlym.Core.Models;

/// <summary>
/// The fitted scoring pipeline, as ML.NET's <c>ITransformer</c> chain or a fitted scikit-learn <c>Pipeline</c>:
/// post -> preprocessed text (and title, for a title block) -> TF-IDF features -> each member's label scores -> the
/// combiner's label scores.
/// It is the one scoring path: serving, evaluation, threshold tuning and explanations (<see cref="Explain"/>) all go through it (training
/// enters at <see cref="ScoreText"/> or <see cref="ScoreFeatures"/> for posts it has already preprocessed or
/// featurized). Immutable and safe to share between threads.
/// </summary>
public sealed class PostScorer
{
    public PostScorer(PreprocessOptions preprocess, PostVectorizer features, IReadOnlyList<ScoringMember> members, ScoreCombiner combiner)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(combiner);
        if (members.Count == 0)
        {
            throw new ArgumentException("a scorer needs at least one member", nameof(members));
        }

        LabelCount = members[0].LabelCount;
        if (members.Any(m => m.LabelCount != LabelCount))
        {
            throw new ArgumentException("the members disagree on the number of labels", nameof(members));
        }

        Preprocess = preprocess;
        Features = features;
        Members = members;
        Combiner = combiner;
    }

    public PreprocessOptions Preprocess { get; }

    public PostVectorizer Features { get; }

    public IReadOnlyList<ScoringMember> Members { get; }

    public ScoreCombiner Combiner { get; }

    public int LabelCount { get; }

    /// <summary>Writes each label's score for a raw post into <paramref name="scores"/>.</summary>
    public void Score(string post, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(post);
        ScoreFeatures(Featurize(post), scores);
    }

    /// <summary>The same for a post already preprocessed with <see cref="Preprocess"/> (its text, and its title
    /// from <see cref="PostPreprocessor.PreprocessTitle"/>, which only a model with a title block reads).</summary>
    public void ScoreText(ReadOnlySpan<char> preprocessed, ReadOnlySpan<char> preprocessedTitle, Span<double> scores) =>
        ScoreFeatures(Features.Transform(preprocessed, preprocessedTitle), scores);

    /// <summary>The same for a post already featurized with <see cref="Features"/>.</summary>
    public void ScoreFeatures(SparseRow features, Span<double> scores)
    {
        if (scores.Length != LabelCount)
        {
            throw new ArgumentException($"expected room for {LabelCount} scores", nameof(scores));
        }

        var size = Members.Count * LabelCount;
        var rented = ArrayPool<double>.Shared.Rent(size);
        try
        {
            ScoreMembers(features, rented.AsSpan(0, size), scores);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Why a raw post got its scores: for each label, each member's explanation (for a linear member its
    /// <paramref name="top"/> n-grams by weight × TF-IDF value, the intercept and the margin) and the combined score,
    /// computed by the same steps as <see cref="Score"/>, so the scores are the served ones.
    /// </summary>
    /// <returns>Per label, the members' explanations (in member order) and the final score.</returns>
    public (MemberExplanation[] Members, CombinationExplanation Combination, double Score)[] Explain(string post, int top)
    {
        ArgumentNullException.ThrowIfNull(post);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var features = Featurize(post);
        var memberScores = new double[Members.Count * LabelCount];
        var scores = new double[LabelCount];
        ScoreMembers(features, memberScores, scores);
        var result = new (MemberExplanation[], CombinationExplanation, double)[LabelCount];
        for (var l = 0; l < LabelCount; l++)
        {
            var members = new MemberExplanation[Members.Count];
            for (var m = 0; m < Members.Count; m++)
            {
                members[m] = Members[m].Explain(features, l, memberScores[(m * LabelCount) + l], Features.FeatureName, top);
            }

            result[l] = (members, Combiner.Explain(memberScores, Members.Count, l), scores[l]);
        }

        return result;
    }

    /// <summary>Each member's scores (member <c>m</c>'s at <c>[m * labels ..]</c>) and the combiner's of them: the scoring path itself.</summary>
    private void ScoreMembers(SparseRow features, Span<double> memberScores, Span<double> scores)
    {
        ScoreMembers(Members, features, memberScores);
        Combiner.Combine(memberScores, Members.Count, scores);
    }

    /// <summary>Each member's scores of a post, member <c>m</c>'s at <c>[m * labels ..]</c>: what a combiner is
    /// fitted on in training, and the first half of <see cref="ScoreFeatures(SparseRow, Span{double})"/>.</summary>
    public static void ScoreMembers(IReadOnlyList<ScoringMember> members, SparseRow features, Span<double> memberScores)
    {
        ArgumentNullException.ThrowIfNull(members);
        var labels = members[0].LabelCount;
        for (var m = 0; m < members.Count; m++)
        {
            members[m].Score(features, memberScores.Slice(m * labels, labels));
        }
    }

    private SparseRow Featurize(string post) => Features.Transform(
        PostPreprocessor.Preprocess(post, Preprocess), Features.HasTitle ? PostPreprocessor.PreprocessTitle(post, Preprocess) : []);

    /// <summary>The scores of many preprocessed posts (their texts, and their titles for a model with a title block),
    /// computed on all cores: row <c>i</c> holds post <c>i</c>'s scores.</summary>
    public double[][] ScoreTexts(IReadOnlyList<string> preprocessed, IReadOnlyList<string>? titles)
    {
        ArgumentNullException.ThrowIfNull(preprocessed);
        if (Features.HasTitle && (titles is null || titles.Count != preprocessed.Count))
        {
            throw new ArgumentException("a model with a title block needs every post's preprocessed title", nameof(titles));
        }

        // each post featurized and scored in one go: the rows of a large vocabulary are not all held at once
        var scores = new double[preprocessed.Count][];
        Parallel.For(0, preprocessed.Count, i =>
        {
            scores[i] = new double[LabelCount];
            ScoreText(preprocessed[i], Features.HasTitle ? titles![i] : [], scores[i]);
        });
        return scores;
    }

    /// <summary>The scores of many featurized posts, computed on all cores: row <c>i</c> holds post <c>i</c>'s scores.</summary>
    public double[][] ScoreFeatures(IReadOnlyList<SparseRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var scores = new double[rows.Count][];
        Parallel.For(0, rows.Count, i =>
        {
            scores[i] = new double[LabelCount];
            ScoreFeatures(rows[i], scores[i]);
        });
        return scores;
    }
}
