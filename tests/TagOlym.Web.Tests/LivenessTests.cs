using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TagOlym.Web.Tests;

public sealed class LivenessTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Live_endpoint_answers_ok()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
