using System.Net;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using TagOlym.Web.Tests.Support;

namespace TagOlym.Web.Tests;

/// <summary>A fact that runs only where headless Chromium and its driver are installed (Debian: chromium, chromium-driver).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static string? Browser { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public static string? Driver { get; } = new[] { "/usr/bin/chromedriver" }.FirstOrDefault(File.Exists);

    public ChromiumFactAttribute()
    {
        // .ci/run installs them and sets TAGOLYM_REQUIRE_BROWSER=1: in CI the test runs (and fails if they are missing)
        if ((Browser is null || Driver is null) && Environment.GetEnvironmentVariable("TAGOLYM_REQUIRE_BROWSER") != "1")
        {
            Skip = "headless Chromium is not installed (apt-get install chromium chromium-driver)";
        }
    }
}

/// <summary>The tester page in a real headless browser against a real Kestrel server.</summary>
public sealed class TesterPageTests : IAsyncLifetime
{
    private readonly ServiceFactory factory = new(TestModels.CopyOf(TestModels.A));
    private Uri root = null!;

    public async Task InitializeAsync()
    {
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        using var client = factory.CreateClient();
        root = client.BaseAddress!;
        await ServiceFactory.WaitReadyAsync(client);
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    internal static ChromeDriver StartBrowser()
    {
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.Driver), Path.GetFileName(ChromiumFactAttribute.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    [ChromiumFact]
    public void Pasting_a_post_shows_its_math_and_asking_shows_the_suggested_tags_with_scores_and_thresholds()
    {
        using var browser = StartBrowser();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(root);

        wait.Until(b => b.FindElement(By.Id("model")).Text.Contains("tagolym 20", StringComparison.Ordinal));
        var post = browser.FindElement(By.Id("post"));
        post.SendKeys("How many ways can 5 people sit around a round table, if $\\alpha \\le \\frac{5!}{5} \\binom{5}{2}$? <b>not bold</b>");
        browser.FindElement(By.Id("all")).Click();
        browser.FindElement(By.Id("suggest")).Click();

        wait.Until(b => b.FindElements(By.CssSelector("#tags .tag")).Count > 0);
        browser.FindElements(By.CssSelector("#tags .tag"))[0].Text.Should().StartWith("combinatorics");
        var rows = browser.FindElements(By.CssSelector("#scores tbody tr"));
        rows.Should().HaveCount(10, "every label's score and threshold with the box ticked");
        browser.FindElement(By.CssSelector("#scores tbody tr.passed td")).Text.Should().NotBeEmpty();
        var math = browser.FindElement(By.CssSelector("#preview .math"));
        math.Text.Should().Contain("α").And.Contain("≤");
        math.FindElement(By.CssSelector(".frac .num")).Text.Should().Be("5!");
        math.FindElement(By.CssSelector(".frac .den")).Text.Should().Be("5");
        math.FindElement(By.CssSelector(".cmd")).Text.Should().Be("\\binom", "a command without a symbol is shown highlighted");
        browser.FindElements(By.CssSelector("#preview b")).Should().BeEmpty("a post's markup is shown, never run");
        browser.FindElement(By.Id("preview")).Text.Should().Contain("<b>not bold</b>");
        browser.FindElement(By.Id("status")).Text.Should().StartWith("answered by tagolym");
        if (Environment.GetEnvironmentVariable("TAGOLYM_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            browser.GetScreenshot().SaveAsFile(screenshot); // to look at the page by eye
        }
    }

    [ChromiumFact]
    public void An_empty_post_shows_the_services_problem()
    {
        using var browser = StartBrowser();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(root);

        browser.FindElement(By.Id("suggest")).Click();

        wait.Until(b => b.FindElement(By.Id("status")).Text.Length > 0 && !b.FindElement(By.Id("status")).Text.StartsWith("asking", StringComparison.Ordinal));
        browser.FindElement(By.Id("status")).Text.Should().Contain("texts[0].text");
        browser.FindElement(By.Id("status")).GetAttribute("class").Should().Be("error");
    }
}
