using System.Net;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

public sealed class DocsAndPageTests(ReadyService service) : IClassFixture<ReadyService>
{
    [Fact]
    public async Task The_openapi_document_describes_predict_with_its_schemas_and_a_real_example_post()
    {
        using var response = await service.Client.GetAsync(Url("/swagger/v1/swagger.json"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var document = await response.ReadJsonAsync();
        var predict = document["paths"]!["/predict"]!["post"]!;
        var body = predict["requestBody"]!["content"]!["application/json"]!;
        body["schema"]!["$ref"]!.GetValue<string>().Should().EndWith("PredictRequest");
        body["example"]!["texts"]![0]!["text"]!.GetValue<string>().Should().Contain("0.999999999");
        predict["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().Should().EndWith("PredictResponse");
        predict["responses"]!.AsObject().Select(r => r.Key).Should().Contain(["400", "413", "415", "503"]);
        var schemas = document["components"]!["schemas"]!;
        schemas["PredictResponse"]!["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("model", "predictions");
        schemas["LabelScore"]!["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("tag", "score", "threshold");
        document["paths"]!.AsObject().Select(p => p.Key).Should().Contain(["/model", "/admin/reload"]);
    }

    [Fact]
    public async Task The_openapi_document_has_the_api_key_scheme_the_scores_values_the_limits_typed_schemas_and_the_probes()
    {
        var document = await (await service.Client.GetAsync(Url("/swagger/v1/swagger.json"))).ReadJsonAsync();

        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        scheme["type"]!.GetValue<string>().Should().Be("apiKey");
        scheme["in"]!.GetValue<string>().Should().Be("header");
        scheme["name"]!.GetValue<string>().Should().Be("X-Api-Key");
        var reload = document["paths"]!["/admin/reload"]!["post"]!;
        reload["security"]!.AsArray().Should().ContainSingle().Which!.AsObject().Select(r => r.Key).Should().Equal("ApiKey");
        document["paths"]!["/predict"]!["post"]!["security"].Should().BeNull("predict needs no key");

        var scores = document["paths"]!["/predict"]!["post"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "scores")!;
        scores["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("tags", "all");
        scores["schema"]!["default"]!.GetValue<string>().Should().Be("tags");
        scores["description"]!.GetValue<string>().Should().Contain("every label's score");

        var schemas = document["components"]!["schemas"]!.AsObject();
        schemas.Select(s => s.Key).Should().NotContain(k => k.Contains("JsonNode", StringComparison.Ordinal) || k.Contains("JsonElement", StringComparison.Ordinal));
        document.ToJsonString().Should().NotContain("JsonNode");
        var info = schemas["ModelInfoResponse"]!["properties"]!;
        info["testMetrics"]!["$ref"]!.GetValue<string>().Should().EndWith("EvaluationReport");
        schemas["EvaluationReport"]!["properties"]!.AsObject().Select(p => p.Key).Should().Equal("overall", "micro", "class", "slices");
        schemas["MetricSet"]!["properties"]!.AsObject().Select(p => p.Key).Should().Equal("precision", "recall", "f1", "num_samples");
        info["trainingArgs"]!["type"]!.GetValue<string>().Should().Be("object");

        var texts = schemas["PredictRequest"]!["properties"]!["texts"]!;
        texts["minItems"]!.GetValue<int>().Should().Be(1);
        texts["maxItems"]!.GetValue<int>().Should().Be(256);
        var text = schemas["PostInput"]!["properties"]!["text"]!;
        text["minLength"]!.GetValue<int>().Should().Be(1);
        text["maxLength"]!.GetValue<int>().Should().Be(100_000);

        var responses = document["paths"]!["/predict"]!["post"]!["responses"]!;
        responses["200"]!["content"]!["application/json"]!["example"]!["predictions"]!.AsArray().Should().HaveCount(2);
        responses["400"]!["content"]!["application/problem+json"]!["example"]!["errors"]!["texts[1].text"].Should().NotBeNull();

        document["paths"]!.AsObject().Select(p => p.Key).Should().Contain(["/health/live", "/health/ready", "/health"]);
        document["paths"]!["/health/ready"]!["get"]!["responses"]!.AsObject().Select(r => r.Key).Should().Equal("200", "503");
        document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Equal("Predict", "Feedback", "Model", "Health", "Admin");
        document["paths"]!.AsObject().First().Key.Should().Be("/predict", "Swagger UI lists what a forum calls first");
    }

    [Fact]
    public async Task The_documented_examples_are_what_the_service_accepts_and_refuses()
    {
        var document = await (await service.Client.GetAsync(Url("/swagger/v1/swagger.json"))).ReadJsonAsync();
        var predict = document["paths"]!["/predict"]!["post"]!;
        var example = predict["requestBody"]!["content"]!["application/json"]!["example"]!.ToJsonString();

        using var answer = await service.Client.PostAsync(Url("/predict"), JsonBody(example));
        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await answer.ReadJsonAsync();
        body["predictions"]!.AsArray().Should().HaveCount(2);
        var documented = predict["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        documented["model"]!.AsObject().Select(p => p.Key).Should().Equal(body["model"]!.AsObject().Select(p => p.Key));

        using var refused = await service.Client.PostAsync(Url("/predict"), JsonBody("{\"texts\": [{\"text\": \"fine\"}, {\"text\": \"\"}]}"));
        var problem = await refused.ReadJsonAsync();
        var documentedProblem = predict["responses"]!["400"]!["content"]!["application/problem+json"]!["example"]!;
        problem["detail"]!.GetValue<string>().Should().Be(documentedProblem["detail"]!.GetValue<string>());
        problem["errors"]!.ToJsonString().Should().Be(documentedProblem["errors"]!.ToJsonString());
    }

    [Fact]
    public async Task Swagger_ui_is_served_at_swagger()
    {
        using var response = await service.Client.GetAsync(Url("/swagger/index.html"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Fact]
    public async Task The_tester_page_and_its_scripts_are_served_at_the_root()
    {
        using var page = await service.Client.GetAsync(Url("/"));

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("id=\"post\"").And.Contain("app.js").And.Contain("lib/katex/katex.min.js").And.Contain("favicon.ico");
        foreach (var asset in new[] { "/app.js", "/style.css", "/favicon.ico", "/lib/katex/katex.min.js", "/lib/katex/katex.min.css", "/lib/katex/contrib/auto-render.min.js", "/lib/katex/fonts/KaTeX_Main-Regular.woff2" })
        {
            using var response = await service.Client.GetAsync(Url(asset));
            response.StatusCode.Should().Be(HttpStatusCode.OK, asset);
        }

        // relative URLs, so the page also works behind a proxy under a path base (Access:PathBase)
        (await service.Client.GetStringAsync(Url("/app.js"))).Should().Contain("fetch(\"predict\"").And.NotContain("fetch(\"/");
    }
}
