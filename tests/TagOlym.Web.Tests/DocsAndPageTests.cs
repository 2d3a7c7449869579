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
        html.Should().Contain("id=\"post\"").And.Contain("app.js").And.Contain("latex-preview.js");
        foreach (var asset in new[] { "/app.js", "/latex-preview.js", "/style.css" })
        {
            using var response = await service.Client.GetAsync(Url(asset));
            response.StatusCode.Should().Be(HttpStatusCode.OK, asset);
        }

        // relative URLs, so the page also works behind a proxy under a path base (Access:PathBase)
        (await service.Client.GetStringAsync(Url("/app.js"))).Should().Contain("fetch(\"predict\"").And.NotContain("fetch(\"/");
    }
}
