using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using TagOlym.Web.Admin;
using TagOlym.Web.Predict;

namespace TagOlym.Web.Docs;

/// <summary>
/// Swagger UI at <c>/swagger</c>, the OpenAPI document at <c>/swagger/v1/swagger.json</c>: real example requests and
/// answers, the request limits in the schema, the allowed <c>scores</c> values, the health probes, and the
/// <c>X-Api-Key</c> scheme on the admin endpoints, so that Swagger UI can call every endpoint.
/// </summary>
public static class SwaggerSetup
{
    /// <summary>The name of the API-key security scheme in the document.</summary>
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>Two real Math Stack Exchange questions (CC BY-SA 4.0), the first from the shipped sample.</summary>
    public const string ExampleRequest = """
        {
          "texts": [
            { "text": "Is it true that $0.999999999\\ldots=1$?\n\nI'm told by smart people that $$0.999999999\\ldots=1$$ and I believe them, but is there a proof that explains why this is?" },
            { "text": "How many ways can 5 people sit around a round table?\n\nTwo seatings are the same when one is a rotation of the other. Is the answer $\\frac{5!}{5} = 4!$?" }
          ]
        }
        """;

    /// <summary>What the first-run model (trained on the shipped sample) answered to <see cref="ExampleRequest"/>: no tag passes its threshold for the first post.</summary>
    public const string ExampleResponse = """
        {
          "model": { "name": "tagolym", "version": "1", "runId": "e3234a230d084d64a2db02e3554fb909" },
          "predictions": [
            { "tags": [] },
            { "tags": [ { "tag": "combinatorics", "score": 0.9277493184489174, "threshold": 0.062307522456537104 } ] }
          ]
        }
        """;

    /// <summary>A refused request: an empty post.</summary>
    public const string ExampleProblem = """
        {
          "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
          "title": "Invalid request",
          "status": 400,
          "detail": "texts[1].text is required and must not be empty",
          "errors": { "texts[1].text": [ "texts[1].text is required and must not be empty" ] }
        }
        """;

    /// <summary>The order of the groups in Swagger UI: what a forum calls first.</summary>
    private static readonly string[] TagOrder = ["Predict", "Feedback", "Model", "Health", "Admin"];

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
            options.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = AdminOptions.KeyHeader,
                Description = "The admin key (configuration Admin:ApiKey, best set as the environment variable Admin__ApiKey).",
            });
            // within a group, the default model's path before the named models' (/predict before /models/{name}/predict)
            options.OrderActionsBy(api => $"{Array.IndexOf(TagOrder, api.ActionDescriptor.EndpointMetadata.OfType<ITagsMetadata>().SelectMany(t => t.Tags).FirstOrDefault()):D2} " +
                $"{(api.RelativePath?.Contains('{', StringComparison.Ordinal) == true ? 1 : 0)} {api.RelativePath}");
            // a post id is whatever the forum uses: a string or a number, echoed as it came
            options.MapType<System.Text.Json.JsonElement>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.String | JsonSchemaType.Integer,
                Description = "The forum's id of the post: a string (1 to 256 characters) or a number",
            });
            options.SchemaFilter<RequestLimitsFilter>();
            options.OperationFilter<PredictDocsFilter>();
            options.OperationFilter<AdminKeyFilter>();
            options.DocumentFilter<HealthAndTagsFilter>();
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

    /// <summary>The limits of a request (Predict:MaxPosts, Predict:MaxPostChars), as configured, in the request schemas.</summary>
    private sealed class RequestLimitsFilter(IOptions<PredictOptions> options) : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema { Properties: { } properties })
            {
                return;
            }

            var limits = options.Value;
            if (context.Type == typeof(PredictRequest) && properties.TryGetValue("texts", out var texts) && texts is OpenApiSchema list)
            {
                list.MinItems = 1;
                list.MaxItems = limits.MaxPosts;
                list.Description = $"The posts, 1 to {limits.MaxPosts} (Predict:MaxPosts); answers come in the same order.";
                schema.Required?.Add("texts");
            }
            else if (context.Type == typeof(PostInput) && properties.TryGetValue("text", out var text) && text is OpenApiSchema post)
            {
                post.MinLength = 1;
                post.MaxLength = limits.MaxPostChars;
                post.Description = $"The post: Markdown with LaTeX, not blank, at most {limits.MaxPostChars:N0} characters (Predict:MaxPostChars).";
                schema.Required?.Add("text");
            }
        }
    }

    /// <summary>The <c>scores</c> values and real examples of a request, an answer and a refusal of <c>POST /predict</c>.</summary>
    private sealed class PredictDocsFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.RelativePath != "predict")
            {
                return;
            }

            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                if (parameter.Name == "scores")
                {
                    parameter.Description = "`tags` (the default): each post's suggested tags only; `all`: also every label's score and threshold, in the model's label order.";
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Enum = [JsonValue.Create("tags"), JsonValue.Create("all")],
                        Default = JsonValue.Create("tags"),
                    };
                }
            }

            foreach (var media in operation.RequestBody?.Content?.Values.OfType<OpenApiMediaType>() ?? [])
            {
                media.Example = JsonNode.Parse(ExampleRequest);
            }

            SetExample(operation, "200", ExampleResponse);
            SetExample(operation, "400", ExampleProblem);
        }

        private static void SetExample(OpenApiOperation operation, string status, string example)
        {
            if (operation.Responses?.TryGetValue(status, out var response) == true && response.Content is { } content)
            {
                foreach (var media in content.Values.OfType<OpenApiMediaType>())
                {
                    media.Example = JsonNode.Parse(example);
                }
            }
        }
    }

    /// <summary>The admin endpoints need the <c>X-Api-Key</c> header: Swagger UI's Authorize button fills it in.</summary>
    private sealed class AdminKeyFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.RelativePath?.StartsWith("admin/", StringComparison.Ordinal) != true)
            {
                return;
            }

            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] }];
        }
    }

    /// <summary>
    /// Lists the health probes (mapped as health checks, which the API explorer does not see) and the groups in
    /// <see cref="TagOrder"/> with what each is for.
    /// </summary>
    private sealed class HealthAndTagsFilter : IDocumentFilter
    {
        public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
        {
            swaggerDoc.Tags = new HashSet<OpenApiTag>
            {
                new() { Name = "Predict", Description = "Suggested tags for posts" },
                new() { Name = "Feedback", Description = "Moderators' accepted and rejected tags, for the next model" },
                new() { Name = "Model", Description = "The models serving now" },
                new() { Name = "Health", Description = "Probes for load balancers and orchestrators" },
                new() { Name = "Admin", Description = $"Operations that need the admin key ({AdminOptions.KeyHeader})" },
            };
            foreach (var (path, summary) in new[]
            {
                ("/health/live", "The process is up (200)"),
                ("/health/ready", "A model is loaded and answers a probe post (200), else 503"),
                ("/health", "Both checks (200 when both pass, else 503)"),
            })
            {
                swaggerDoc.Paths[path] = new OpenApiPathItem
                {
                    Operations = new Dictionary<HttpMethod, OpenApiOperation>
                    {
                        [HttpMethod.Get] = new()
                        {
                            Summary = summary,
                            OperationId = "Health" + string.Concat(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..])),
                            Tags = new HashSet<OpenApiTagReference> { new("Health", swaggerDoc) },
                            Responses = new OpenApiResponses
                            {
                                ["200"] = HealthResponse("Healthy"),
                                ["503"] = HealthResponse("Unhealthy"),
                            },
                        },
                    },
                };
            }
        }

        private static OpenApiResponse HealthResponse(string status) => new()
        {
            Description = status,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("Healthy"), JsonValue.Create("Degraded"), JsonValue.Create("Unhealthy")] },
                            ["checks"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Description = "Each check (process, model) with its status, description and data (the model's name and version)",
                            },
                        },
                    },
                    Example = new JsonObject
                    {
                        ["status"] = status,
                        ["checks"] = new JsonObject { ["process"] = new JsonObject { ["status"] = "Healthy", ["description"] = "the process is up", ["data"] = new JsonObject() } },
                    },
                },
            },
        };
    }
}
