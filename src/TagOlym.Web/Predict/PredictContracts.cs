using System.Text.Json.Serialization;
using TagOlym.Core.Models;
using TagOlym.Web.Serving;

namespace TagOlym.Web.Predict;

/// <summary>The body of <c>POST /predict</c>: one or more posts (Markdown with LaTeX).</summary>
public sealed record PredictRequest(IReadOnlyList<PostInput?>? Texts);

/// <summary>One post.</summary>
public sealed record PostInput(string? Text);

/// <summary>The answer: one prediction per post, in input order, and the model that made them.</summary>
public sealed record PredictResponse(ModelIdentity Model, IReadOnlyList<PostPrediction> Predictions);

/// <summary>A post's suggested tags (score above the label's threshold, highest first) and, with <c>?scores=all</c>,
/// every label's score in the model's label order; with <c>?explain=true</c>, why each suggested tag got its score.</summary>
public sealed record PostPrediction(
    IReadOnlyList<LabelScore> Tags,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<LabelScore>? Scores,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<LabelExplanation>? Explanations = null);

/// <summary>A label's score and the threshold it must pass to be suggested.</summary>
public sealed record LabelScore(string Tag, double Score, double Threshold);
