using System.Net;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using TagOlym.Web.Access;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary>API keys, the per-client rate limit, CORS and the path base (the <c>Access</c> section): all off unless configured.</summary>
public sealed class AccessTests
{
    private const string ForumKey = "forum-key-5b2f0c9e71aa";
    private const string WikiKey = "wiki-key-0d88a41f93c2";

    private static Dictionary<string, string?> Keys(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Access:ApiKeys:forum"] = ForumKey, ["Access:ApiKeys:wiki"] = WikiKey };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private static HttpRequestMessage Predict(string? key, string path = "/predict")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = PredictBody("Is $\\sqrt{2}$ irrational?") };
        if (key is not null)
        {
            request.Headers.Add(AccessOptions.KeyHeader, key);
        }

        return request;
    }

    private static string FeedbackJson => "{\"text\": \"a post\", \"accepted\": [\"algebra\"], \"modelVersion\": \"1\"}";

    [Fact]
    public async Task With_keys_configured_client_endpoints_ask_for_one_and_the_others_stay_open()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), Keys());
        using var client = await factory.ReadyClientAsync();

        using (var none = await client.SendAsync(Predict(null)))
        {
            await PredictTests.ExpectProblemAsync(none, HttpStatusCode.Unauthorized);
            none.Headers.WwwAuthenticate.ToString().Should().Be(AccessOptions.KeyHeader);
        }

        await PredictTests.ExpectProblemAsync(await client.SendAsync(Predict("forum-key-5b2f0c9e71ab")), HttpStatusCode.Forbidden);
        await PredictTests.ExpectProblemAsync(await client.SendAsync(Predict(null, "/models/default/predict")), HttpStatusCode.Unauthorized);
        await PredictTests.ExpectProblemAsync(await client.PostAsync(Url("/feedback"), JsonBody(FeedbackJson)), HttpStatusCode.Unauthorized);
        (await client.SendAsync(Predict(ForumKey))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.SendAsync(Predict(WikiKey, "/models/default/predict"))).StatusCode.Should().Be(HttpStatusCode.OK);
        using (var feedback = new HttpRequestMessage(HttpMethod.Post, Url("/feedback")) { Content = JsonBody(FeedbackJson) })
        {
            feedback.Headers.Add(AccessOptions.KeyHeader, WikiKey);
            (await client.SendAsync(feedback)).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        foreach (var open in new[] { "/model", "/models", "/health/ready", "/metrics", "/" })
        {
            (await client.GetAsync(Url(open))).StatusCode.Should().Be(HttpStatusCode.OK, open);
        }

        factory.Logs.Entries.Should().NotContain(e => e.Message.Contains(ForumKey) || e.Message.Contains(WikiKey));
    }

    [Fact]
    public async Task Without_keys_configured_nothing_is_asked()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A));
        using var client = await factory.ReadyClientAsync();

        (await client.SendAsync(Predict(null))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.SendAsync(Predict("anything at all"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Each_client_has_its_own_rate_limit_and_going_over_it_is_a_429_problem_with_Retry_After()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), Keys(new()
        {
            ["Access:RateLimit:PermitLimit"] = "3",
            ["Access:RateLimit:Window"] = "00:10:00",
        }));
        using var client = await factory.ReadyClientAsync();

        for (var i = 0; i < 3; i++)
        {
            (await client.SendAsync(Predict(ForumKey))).StatusCode.Should().Be(HttpStatusCode.OK, $"request {i + 1} of 3 is within the limit");
        }

        using var over = await client.SendAsync(Predict(ForumKey));
        var problem = await PredictTests.ExpectProblemAsync(over, HttpStatusCode.TooManyRequests);
        problem["detail"]!.GetValue<string>().Should().Contain("3 requests per 600 s").And.Contain("Access:RateLimit");
        problem["limit"]!.GetValue<int>().Should().Be(3);
        var retryAfter = int.Parse(over.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        retryAfter.Should().BeInRange(1, 600);
        problem["retryAfterSeconds"]!.GetValue<int>().Should().Be(retryAfter);

        (await client.SendAsync(Predict(WikiKey))).StatusCode.Should().Be(HttpStatusCode.OK, "another client's budget is its own");
        (await client.GetAsync(Url("/model"))).StatusCode.Should().Be(HttpStatusCode.OK, "only client endpoints are limited");
    }

    [Fact]
    public async Task Cors_answers_configured_origins_only()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?>
        {
            ["Access:CorsOrigins:0"] = "https://forum.example.org",
        });
        using var client = await factory.ReadyClientAsync();

        static HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, Url("/predict"));
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
            return request;
        }

        using (var allowed = await client.SendAsync(Preflight("https://forum.example.org")))
        {
            allowed.StatusCode.Should().Be(HttpStatusCode.NoContent);
            allowed.Headers.GetValues("Access-Control-Allow-Origin").Single().Should().Be("https://forum.example.org");
            allowed.Headers.GetValues("Access-Control-Allow-Headers").Single().ToLowerInvariant().Should().Contain("x-api-key");
        }

        using (var other = await client.SendAsync(Preflight("https://evil.example.com")))
        {
            other.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        }

        using var actual = Predict(null);
        actual.Headers.Add("Origin", "https://forum.example.org");
        using var response = await client.SendAsync(actual);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").Single().Should().Be("https://forum.example.org");
    }

    [Fact]
    public async Task Under_a_path_base_every_endpoint_and_the_tester_pages_files_answer_below_it()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?> { ["Access:PathBase"] = "/tagolym" });
        using var client = factory.CreateClient();
        client.BaseAddress = new Uri(client.BaseAddress!, "/tagolym/");
        for (var attempt = 0; attempt < 300 && (await client.GetAsync(new Uri("health/ready", UriKind.Relative))).StatusCode != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(100);
        }

        foreach (var path in new[] { "", "app.js", "style.css", "model", "models", "metrics", "swagger/index.html", "swagger/v1/swagger.json" })
        {
            (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "/tagolym/" + path);
        }

        (await client.PostAsync(new Uri("predict", UriKind.Relative), PredictBody("a post"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("Access:PathBase", "tagolym/", "Access:PathBase")]
    [InlineData("Access:ApiKeys:forum", "short", "Access:ApiKeys")]
    [InlineData("Access:RateLimit:PermitLimit", "-1", "Access:RateLimit")]
    [InlineData("Access:CorsOrigins:0", "https://forum.example.org/path", "Access:CorsOrigins")]
    public void Access_settings_that_cannot_work_stop_the_start_naming_the_key(string key, string value, string named)
    {
        using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?> { [key] = value });

        var act = () => factory.CreateClient();

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage($"*{named}*");
    }
}

/// <summary>The tester page in headless Chromium, reached under a path base as behind a reverse proxy.</summary>
public sealed class PathBasePageTests : IAsyncLifetime
{
    private readonly ServiceFactory factory = new(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?> { ["Access:PathBase"] = "/tagolym" });
    private Uri root = null!;

    public async Task InitializeAsync()
    {
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        using var client = factory.CreateClient();
        root = new Uri(client.BaseAddress!, "/tagolym/");
        client.BaseAddress = root;
        for (var attempt = 0; attempt < 300 && (await client.GetAsync(new Uri("health/ready", UriKind.Relative))).StatusCode != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [ChromiumFact]
    public void The_tester_page_under_tagolym_shows_the_model_and_suggests_tags()
    {
        using var browser = HeadlessChromium.Start();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(root);

        wait.Until(b => b.FindElement(By.Id("model")).Text.Contains("tagolym 20", StringComparison.Ordinal));
        browser.FindElement(By.Id("post")).SendKeys("How many ways can 5 people sit around a round table?");
        browser.FindElement(By.Id("suggest")).Click();

        wait.Until(b => b.FindElements(By.CssSelector("#tags .tag")).Count > 0);
        browser.FindElements(By.CssSelector("#tags .tag"))[0].Text.Should().StartWith("combinatorics");
        browser.FindElement(By.CssSelector("a[href='swagger/']")).GetAttribute("href").Should().Be(root + "swagger/");
    }
}
