using System.Net;
using TagOlym.Web.Admin;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

public sealed class AdminTests
{
    private static HttpRequestMessage Reload(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url("/admin/reload"));
        if (key is not null)
        {
            request.Headers.Add(AdminOptions.KeyHeader, key);
        }

        return request;
    }

    [Fact]
    public async Task Reload_without_the_key_is_401_and_with_a_wrong_key_403_and_changes_nothing()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A));
        using var client = await factory.ReadyClientAsync();
        var before = (await (await client.PredictAsync("a post")).ReadJsonAsync())["model"]!["version"]!.GetValue<string>();
        TestModels.Replace(factory.ModelPath, TestModels.B);

        using (var missing = await client.SendAsync(Reload(null)))
        {
            await PredictTests.ExpectProblemAsync(missing, HttpStatusCode.Unauthorized);
            missing.Headers.WwwAuthenticate.Should().NotBeEmpty();
        }

        using (var wrong = await client.SendAsync(Reload("not-the-key")))
        {
            await PredictTests.ExpectProblemAsync(wrong, HttpStatusCode.Forbidden);
        }

        (await (await client.PredictAsync("a post")).ReadJsonAsync())["model"]!["version"]!.GetValue<string>().Should().Be(before);
        factory.Logs.Entries.Should().NotContain(e => e.Message.Contains(ServiceFactory.ApiKey) || e.Message.Contains("not-the-key"));
    }

    [Fact]
    public async Task Admin_endpoints_are_off_when_no_key_is_configured()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?> { ["Admin:ApiKey"] = "" });
        using var client = await factory.ReadyClientAsync();

        using var response = await client.SendAsync(Reload(ServiceFactory.ApiKey));

        var problem = await PredictTests.ExpectProblemAsync(response, HttpStatusCode.NotFound);
        problem["detail"]!.GetValue<string>().Should().Contain("Admin:ApiKey");
    }

    [Fact]
    public async Task Reload_with_the_key_swaps_in_the_new_file()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A));
        using var client = await factory.ReadyClientAsync();
        var before = (await (await client.PredictAsync("a post")).ReadJsonAsync())["model"]!["version"]!.GetValue<string>();
        TestModels.Replace(factory.ModelPath, TestModels.B);

        using var response = await client.SendAsync(Reload(ServiceFactory.ApiKey));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        body["outcome"]!.GetValue<string>().Should().Be("swapped");
        body["previous"]!["version"]!.GetValue<string>().Should().Be(before);
        var after = body["serving"]!["version"]!.GetValue<string>();
        after.Should().NotBe(before);
        (await (await client.PredictAsync("a post")).ReadJsonAsync())["model"]!["version"]!.GetValue<string>().Should().Be(after);
    }
}
