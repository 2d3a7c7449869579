namespace TagOlym.Web.Serving;

/// <summary>The check a model must pass before it serves: it answers a real post with one finite score per label.</summary>
public static class ModelProbe
{
    /// <summary>Null when the model answers the probe post properly, else what is wrong.</summary>
    public static string? Check(ServedModel candidate, string probePost)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        try
        {
            var labels = candidate.Model.Labels;
            if (labels.Count == 0)
            {
                return "the model has no labels";
            }

            if (candidate.Model.Thresholds.Count != labels.Count || candidate.Model.Thresholds.Any(t => !double.IsFinite(t)))
            {
                return "the model's thresholds do not match its labels or are not finite";
            }

            var answer = candidate.Suggester.Suggest(probePost);
            if (answer.Scores.Count != labels.Count)
            {
                return $"the probe post got {answer.Scores.Count} scores for {labels.Count} labels";
            }

            return answer.Scores.Any(s => !double.IsFinite(s)) ? "the probe post got a score that is not a finite number" : null;
        }
#pragma warning disable CA1031 // any failure of the probe means the model must not serve
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"the probe post failed: {e.GetType().Name}: {e.Message}";
        }
    }
}
