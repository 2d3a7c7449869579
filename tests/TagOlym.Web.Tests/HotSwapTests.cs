using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TagOlym.Core.Models;
using TagOlym.Web.Admin;
using TagOlym.Web.Predict;
using TagOlym.Web.Serving;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

public sealed class HotSwapTests
{
    private static readonly Lazy<(string A, string B)> Versions = new(() => (VersionOf(TestModels.A), VersionOf(TestModels.B)));
    private static readonly Lazy<TagSuggester> SuggesterA = new(() => new TagSuggester(TestModels.LoadA()));
    private static readonly Lazy<TagSuggester> SuggesterB = new(() => new TagSuggester(TestModels.LoadB()));

    private static string VersionOf(string path) =>
        FileModelSource.VersionOf(TagModel.Load(path).Manifest.CreatedUtc, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));

    private static Dictionary<string, string?> Polling => new() { ["Model:PollInterval"] = "00:00:00.100" };

    [Fact]
    public async Task Replacing_the_file_while_requests_run_switches_answers_to_the_new_version_without_a_failed_request()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), Polling);
        using var client = await factory.ReadyClientAsync();

        var answers = await SwapLoad.UnderLoadAsync(client, Versions.Value.B, () =>
        {
            TestModels.Replace(factory.ModelPath, TestModels.B);
            return Task.CompletedTask;
        });

        SwapLoad.AssertSwitchedCleanly(answers, Versions.Value.A, Versions.Value.B, v => v == Versions.Value.A ? SuggesterA.Value : SuggesterB.Value);
    }

    [Fact]
    public async Task Reloading_through_the_admin_endpoint_while_requests_run_switches_without_a_failed_request()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A));
        using var client = await factory.ReadyClientAsync();

        var answers = await SwapLoad.UnderLoadAsync(client, Versions.Value.B, async () =>
        {
            TestModels.Replace(factory.ModelPath, TestModels.B);
            using var request = new HttpRequestMessage(HttpMethod.Post, Url("/admin/reload"));
            request.Headers.Add(AdminOptions.KeyHeader, ServiceFactory.ApiKey);
            using var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        });

        SwapLoad.AssertSwitchedCleanly(answers, Versions.Value.A, Versions.Value.B, v => v == Versions.Value.A ? SuggesterA.Value : SuggesterB.Value);
    }

    public static TheoryData<string> BadFiles => new() { "garbage", "truncated", "empty" };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_model_file_is_refused_by_reload_with_an_error_in_the_log_and_the_old_one_keeps_serving(string kind)
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A));
        using var client = await factory.ReadyClientAsync();
        WriteBadModel(factory.ModelPath, kind);

        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/admin/reload"));
        request.Headers.Add(AdminOptions.KeyHeader, ServiceFactory.ApiKey);
        using var response = await client.SendAsync(request);

        var problem = await PredictTests.ExpectProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["serving"]!["version"]!.GetValue<string>().Should().Be(Versions.Value.A);
        factory.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.Message.Contains("refused") && e.Message.Contains(Versions.Value.A));
        await AssertServesAsync(client, Versions.Value.A);
        (await client.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_bad_model_file_found_by_polling_is_refused_once_and_a_good_one_after_it_is_taken()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), Polling);
        using var client = await factory.ReadyClientAsync();
        WriteBadModel(factory.ModelPath, "garbage");

        await EventuallyAsync(() => factory.Logs.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("refused")));
        await AssertServesAsync(client, Versions.Value.A);

        TestModels.Replace(factory.ModelPath, TestModels.B);
        await EventuallyAsync(async () => await VersionAsync(client) == Versions.Value.B);
        factory.Logs.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("refused")).Should().Be(1,
            "the same bad file is refused once, not at every poll");
    }

    [Fact]
    public async Task A_missing_model_at_start_is_not_ready_and_serves_as_soon_as_the_file_appears()
    {
        var path = Path.Combine(TestModels.TemporaryDirectory(), "later.model");
        await using var factory = new ServiceFactory(path, Polling);
        using var client = factory.CreateClient();
        (await client.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        TestModels.Replace(path, TestModels.A);

        await ServiceFactory.WaitReadyAsync(client);
        await AssertServesAsync(client, Versions.Value.A);
    }

    private static void WriteBadModel(string path, string kind)
    {
        var bytes = kind switch
        {
            "garbage" => RandomNumberGenerator.GetBytes(100_000),
            "truncated" => File.ReadAllBytes(TestModels.B)[..(int)(new FileInfo(TestModels.B).Length / 2)],
            _ => [],
        };
        var staging = path + ".bad";
        File.WriteAllBytes(staging, bytes);
        File.Move(staging, path, overwrite: true);
    }

    private static async Task AssertServesAsync(HttpClient client, string version)
    {
        using var response = await client.PredictAsync("Find all primes $p$ such that $p^2+2$ is prime.");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.ReadAsAsync<PredictResponse>())!.Model.Version.Should().Be(version);
    }

    private static async Task<string?> VersionAsync(HttpClient client)
    {
        using var response = await client.PredictAsync("a post");
        return (await response.ReadAsAsync<PredictResponse>())?.Model.Version;
    }

    private static async Task EventuallyAsync(Func<bool> condition) => await EventuallyAsync(() => Task.FromResult(condition()));

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the condition never held");
    }
}
