using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace TagOlym.Web.Docs;

/// <summary>Swagger UI at <c>/swagger</c>, the OpenAPI document at <c>/swagger/v1/swagger.json</c>, with a real example post.</summary>
public static class SwaggerSetup
{
    /// <summary>Two real Math Stack Exchange questions (CC BY-SA 4.0), the first from the shipped sample.</summary>
    public const string ExampleRequest = """
        {
          "texts": [
            { "text": "Is it true that $0.999999999\\ldots=1$?\n\nI'm told by smart people that $$0.999999999\\ldots=1$$ and I believe them, but is there a proof that explains why this is?" },
            { "text": "How many ways can 5 people sit around a round table?\n\nTwo seatings are the same when one is a rotation of the other. Is the answer $\\frac{5!}{5} = 4!$?" }
          ]
        }
        """;

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "TagOlym",
                Version = "v1",
                Description = "Tag suggestions for math forum posts written in LaTeX: TF-IDF and one linear classifier per label, each with its own threshold.",
            });
            options.OperationFilter<PredictExampleFilter>();
        });
        return services;
    }

    public static WebApplication UseApiDocs(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            // relative to the UI page, so it also works under a path base (Access:PathBase)
            options.SwaggerEndpoint("v1/swagger.json", "TagOlym v1");
            options.DocumentTitle = "TagOlym API";
        });
        return app;
    }

    /// <summary>Puts the example post into the request body of <c>POST /predict</c>.</summary>
    private sealed class PredictExampleFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.RelativePath != "predict" || operation.RequestBody?.Content is not { } content)
            {
                return;
            }

            foreach (var media in content.Values)
            {
                media.Example = JsonNode.Parse(ExampleRequest);
            }
        }
    }
}
