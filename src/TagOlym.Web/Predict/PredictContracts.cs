using System.Text.Json;
using System.Text.Json.Serialization;
using TagOlym.Core.Models;
using TagOlym.Web.Serving;

namespace TagOlym.Web.Predict;

/// <summary>The body of <c>POST /predict</c>: one or more posts (Markdown with LaTeX), and optionally how far to narrow
/// each post's tags (also accepted as the query options <c>limit</c> and <c>minScore</c>).</summary>
/// <param name="Limit">At most this many tags per post (the highest-scoring ones).</param>
/// <param name="MinScore">Only tags scoring at least this much. Both apply after the model's per-label thresholds, so they can only remove tags.</param>
public sealed record PredictRequest(IReadOnlyList<PostInput?>? Texts, int? Limit = null, double? MinScore = null);

/// <summary>One post, with the forum's id for it (a string or a number), echoed in its answer.</summary>
public sealed record PostInput(string? Text, JsonElement? Id = null);

/// <summary>The answer: one prediction per post, in input order, and the model that made them.</summary>
public sealed record PredictResponse(ModelIdentity Model, IReadOnlyList<PostPrediction> Predictions);

/// <summary>A post's id (when it was given), its suggested tags (score above the label's threshold, highest first, narrowed
/// by <c>limit</c> and <c>minScore</c>), with <c>?scores=all</c>, every label's score in the model's label order, and with
/// <c>?explain=true</c>, why each of its tags got its score.</summary>
public sealed record PostPrediction(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Id,
    IReadOnlyList<LabelScore> Tags,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<LabelScore>? Scores,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<LabelExplanation>? Explanations = null);

/// <summary>A label's score and the threshold it must pass to be suggested.</summary>
public sealed record LabelScore(string Tag, double Score, double Threshold);
