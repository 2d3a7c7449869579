namespace TagOlym.Web.Predict;

/// <summary>RFC 7807 answers for every error, including the ones routing gives before an endpoint runs.</summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddProblemAnswers(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // routing refuses a body that is not JSON before /predict runs: say what it wanted
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
            {
                context.ProblemDetails.Detail =
                    $"the body must be JSON (Content-Type: application/json); got '{context.HttpContext.Request.ContentType ?? "none"}'";
            }
        });
}
