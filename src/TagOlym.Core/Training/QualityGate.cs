using System.Globalization;
using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Models;

namespace TagOlym.Core.Training;

/// <summary>What the gate decided, on how many held-out posts, with both models' weighted F1.</summary>
public sealed record GateDecision(bool Promote, double CandidateF1, double? ChampionF1, double MinGain, int HeldOutPosts)
{
    /// <summary>The candidate's F1 minus the champion's (null without a champion).</summary>
    public double? Gain => ChampionF1 is { } champion ? CandidateF1 - champion : null;

    public string Describe() => ChampionF1 is { } champion
        ? FormattableString.Invariant($"{(Promote ? "promoted" : "kept the champion")}: weighted F1 {CandidateF1:F4} (new) vs {champion:F4} (champion) on the same {HeldOutPosts:N0} held-out posts, gain {Gain:+0.0000;-0.0000;0.0000}, minimum {MinGain:+0.0000;-0.0000;0.0000}")
        : FormattableString.Invariant($"promoted: no champion yet; weighted F1 {CandidateF1:F4} on {HeldOutPosts:N0} held-out posts");
}

/// <summary>
/// Step 12's gate: a retrained model replaces the champion only if, on the same held-out posts (the test part of the
/// retraining's own split, which the new model has not learned from; a champion trained on overlapping data may
/// have, which only makes the gate stricter), its weighted F1 is at least the champion's plus <c>minGain</c> (a
/// negative <c>minGain</c> is the loss tolerated).
/// </summary>
public static class QualityGate
{
    /// <summary>
    /// The raw posts and true labels of the test part of <paramref name="request"/>'s split, found by running the
    /// same validate, preprocess and split stages with the same seed (rows stand in for ids, which the stratified
    /// split does not read), so that models with other preprocessing can score them.
    /// </summary>
    public static (IReadOnlyList<string> Posts, LabeledDataset Source, int[] Rows) HeldOut(TrainingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Split != SplitMethod.Stratified)
        {
            throw new ArgumentException("the quality gate holds out the test part of the stratified split");
        }

        var data = ValidateStage.Run(request.DataPath, request.Taxonomy, request.Rules, cancellationToken).Dataset;
        var numbered = new LabeledDataset(data.Taxonomy, [.. Enumerable.Range(0, data.Count).Select(i => PostId.FromNumber(i))], data.Posts, data.Labels, data.SourceRows);
        var (prepared, _) = PreprocessStage.Run(numbered, request.Args.Preprocess, cancellationToken: cancellationToken);
        var test = SplitStage.Run(prepared, request.Split, request.SplitSeed).Test;
        var rows = test.Ids.Select(id => int.Parse(id.ToString(), CultureInfo.InvariantCulture)).ToArray();
        return ([.. rows.Select(r => data.Posts[r])], data, rows);
    }

    /// <summary>Evaluates the candidate and the champion (if any) on the held-out posts and decides.</summary>
    public static GateDecision Decide(TagModel candidate, TagModel? champion, TrainingRequest request, double minGain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (champion is not null && !champion.Labels.SequenceEqual(candidate.Labels, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"the champion's labels ({string.Join(", ", champion.Labels)}) differ from the new model's ({string.Join(", ", candidate.Labels)}): their scores cannot be compared; promote by hand with tagolym models promote");
        }

        var (posts, source, rows) = HeldOut(request, cancellationToken);
        var truth = source.Labels.SelectRows(rows);
        var candidateF1 = EvaluateStage.OnPosts(candidate, posts, truth).Overall.F1;
        double? championF1 = champion is null ? null : EvaluateStage.OnPosts(champion, posts, truth).Overall.F1;
        var promote = championF1 is not { } c || candidateF1 - c >= minGain - 1e-12;
        return new GateDecision(promote, candidateF1, championF1, minGain, rows.Length);
    }
}
