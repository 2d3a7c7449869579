using System.Net;
using System.Runtime.CompilerServices;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using TagOlym.Web.Tests.Support;

namespace TagOlym.Web.Tests;

/// <summary>A fact that runs only where headless Chromium and its driver are installed (Debian: chromium, chromium-driver).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static string? Browser { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public static string? Driver { get; } = new[] { "/usr/bin/chromedriver" }.FirstOrDefault(File.Exists);

    public ChromiumFactAttribute([CallerMemberName] string test = "")
    {
        // .ci/run installs them and sets TAGOLYM_REQUIRE_BROWSER=1: in CI the test runs (and fails if they are missing)
        if ((Browser is null || Driver is null) && Environment.GetEnvironmentVariable("TAGOLYM_REQUIRE_BROWSER") != "1")
        {
            SkipReason.Apply(this, "headless Chromium is not installed (apt-get install chromium chromium-driver)", test);
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

    /// <summary>Every delimiter Math Stack Exchange renders, with commands the old hand-written preview left raw.</summary>
    private const string MathPost =
        "Let $X = \\mathbb{C}^N \\setminus V(B)$ and \\(f \\ast g\\) be a convolution. How many ways can 5 people sit around a round table? " +
        "$$\\sum_{k=1}^{n} \\binom{n}{k} = 2^n$$ and \\[\\bigl(a+b\\bigr)^2 \\le 2a^2 + 2b^2\\] " +
        "\\begin{align} x &= \\frac{5!}{5} \\\\ &= 24 \\end{align} <b>not bold</b>";

    private static readonly string[] RawLatex = ["\\setminus", "\\mathbb", "\\ast", "\\bigl", "\\binom", "\\frac", "\\begin", "\\end", "\\(", "\\[", "$"];

    [ChromiumFact]
    public void A_post_is_typeset_by_katex_and_asking_shows_the_suggested_tags_with_scores_and_thresholds()
    {
        using var browser = HeadlessChromium.Start();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(root);

        wait.Until(b => b.FindElement(By.Id("model")).Text.Contains("tagolym 20", StringComparison.Ordinal));
        browser.FindElement(By.Id("model")).Text.Should().MatchRegex(@"trained \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "the training time is readable");
        browser.FindElement(By.Id("post")).SendKeys(MathPost);
        browser.FindElement(By.Id("all")).Click();
        browser.FindElement(By.Id("suggest")).Click();

        wait.Until(b => b.FindElements(By.CssSelector("#tags .tag")).Count > 0);
        browser.FindElements(By.CssSelector("#tags .tag"))[0].Text.Should().StartWith("combinatorics");
        browser.FindElements(By.CssSelector("#scores tbody tr")).Should().HaveCount(10, "every label's score and threshold with the box ticked");
        browser.FindElement(By.CssSelector("#scores tbody tr.passed td")).Text.Should().NotBeEmpty();
        foreach (var row in browser.FindElements(By.CssSelector("#scores tbody tr")))
        {
            // the bar ends past its threshold's tick exactly when the label is suggested, whatever the scores' scale
            var barEnd = row.FindElement(By.CssSelector(".bar")).Size.Width;
            var tick = row.FindElement(By.CssSelector(".threshold-tick")).Location.X - row.FindElement(By.CssSelector(".track")).Location.X;
            (barEnd > tick + 1).Should().Be(row.GetAttribute("class") == "passed", $"row {row.Text}");
        }

        var preview = browser.FindElement(By.Id("preview"));
        preview.FindElements(By.CssSelector(".katex")).Should().HaveCount(5, "$..$, \\(..\\), $$..$$, \\[..\\] and the align environment");
        preview.FindElements(By.CssSelector(".katex-display")).Should().HaveCount(3, "$$..$$, \\[..\\] and align are displayed");
        preview.FindElements(By.CssSelector(".katex-error")).Should().BeEmpty();
        var shown = preview.Text;
        shown.Should().NotContainAny(RawLatex, "KaTeX typeset every formula: no delimiter or command is left as text");
        shown.Should().Contain("∖").And.Contain("∗").And.Contain("How many ways can 5 people sit around a round table?");
        preview.FindElement(By.CssSelector(".katex-html .mathbb")).Text.Should().Be("C", "\\mathbb{C} is set in KaTeX's blackboard-bold font");
        browser.FindElements(By.CssSelector("#preview b")).Should().BeEmpty("a post's markup is shown, never run");
        shown.Should().Contain("<b>not bold</b>");
        browser.FindElement(By.Id("status")).Text.Should().StartWith("answered by tagolym");
    }

    [ChromiumFact]
    public void Pointing_at_a_tag_or_focusing_it_highlights_the_words_that_raised_it_in_the_text_and_leaving_it_takes_them_away()
    {
        const string post = MathPost + " Ways, again.";
        var expected = TestModels.LoadA().Explain(post).Single(e => e.Label == "combinatorics").Words!;
        expected.Should().Contain("ways", "the test model learned that counting ways is combinatorics");
        using var browser = HeadlessChromium.Start();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(root);
        browser.FindElement(By.Id("post")).SendKeys(post);
        browser.FindElement(By.Id("all")).Click();
        browser.FindElement(By.Id("suggest")).Click();
        wait.Until(b => b.FindElements(By.CssSelector("#tags .tag")).Count > 0);
        var preview = browser.FindElement(By.Id("preview"));
        var shown = preview.Text;
        var chip = browser.FindElements(By.CssSelector("#tags .tag"))[0];
        chip.Text.Should().StartWith("combinatorics");
        chip.GetAttribute("tabindex").Should().Be("0", "keyboard users can reach the tag");

        new Actions(browser).MoveToElement(chip).Perform();

        wait.Until(b => b.FindElements(By.CssSelector("#preview mark.contributor")).Count > 0);
        var marked = preview.FindElements(By.CssSelector("mark.contributor")).Select(m => m.Text.ToLowerInvariant()).ToList();
        marked.Should().OnlyContain(w => expected.Contains(w), "only the words the service named are marked");
        marked.Distinct().Should().BeEquivalentTo(expected, "each word the service named is in the text, so it is marked");
        marked.Count(w => w == "ways").Should().Be(2, "every occurrence of a word is marked, whatever its case: 'many ways' and 'Ways, again'");
        preview.FindElements(By.CssSelector(".katex mark, .katex-error mark")).Should().BeEmpty("typeset math is left alone");
        preview.FindElements(By.CssSelector(".katex")).Should().HaveCount(5, "marking words does not disturb the math");
        preview.Text.Should().Be(shown, "marking changes how words look, not the text");

        var screenshot = Environment.GetEnvironmentVariable("TAGOLYM_SCREENSHOT") is { Length: > 0 } path
            ? path
            : Path.Combine(Path.GetTempPath(), $"tagolym-tester-page-{Guid.NewGuid():N}.png");
        browser.GetScreenshot().SaveAsFile(screenshot);
        new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);

        new Actions(browser).MoveToElement(browser.FindElement(By.TagName("h1"))).Perform();

        wait.Until(b => b.FindElements(By.CssSelector("#preview mark")).Count == 0);
        preview.Text.Should().Be(shown);

        ((IJavaScriptExecutor)browser).ExecuteScript("arguments[0].focus()", chip);
        wait.Until(b => b.FindElements(By.CssSelector("#preview mark.contributor")).Count == marked.Count);
        browser.FindElement(By.Id("post")).Click();
        wait.Until(b => b.FindElements(By.CssSelector("#preview mark")).Count == 0);
    }

    [ChromiumFact]
    public void A_formula_katex_cannot_read_is_shown_inline_in_red_and_the_rest_still_renders()
    {
        using var browser = HeadlessChromium.Start();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(root);

        browser.FindElement(By.Id("post")).SendKeys("Fine $\\alpha \\le \\beta$, broken $\\frac{1}$ and fine again $\\sqrt{2}$.");

        wait.Until(b => b.FindElements(By.CssSelector("#preview .katex")).Count == 2);
        var error = browser.FindElement(By.CssSelector("#preview .katex-error"));
        error.Text.Should().Be("\\frac{1}", "the formula stays as written, without its delimiters");
        error.GetAttribute("title").Should().Contain("ParseError", "the reason is on hover");
        browser.FindElement(By.Id("preview")).Text.Should().StartWith("Fine ").And.Contain("α").And.Contain(", broken \\frac{1} and fine again").And.EndWith(".");
    }

    [ChromiumFact]
    public void An_empty_post_shows_the_services_problem_and_takes_the_previous_posts_tags_away()
    {
        using var browser = HeadlessChromium.Start();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(root);
        browser.FindElement(By.Id("post")).SendKeys("How many ways can 5 people sit around a round table if rotations are the same?");
        browser.FindElement(By.Id("all")).Click();
        browser.FindElement(By.Id("suggest")).Click();
        wait.Until(b => b.FindElements(By.CssSelector("#tags .tag")).Count > 0);

        browser.FindElement(By.Id("post")).Clear();
        browser.FindElement(By.Id("suggest")).Click();

        wait.Until(b => b.FindElement(By.Id("status")).GetAttribute("class") == "error");
        browser.FindElement(By.Id("status")).Text.Should().Contain("texts[0].text");
        browser.FindElements(By.CssSelector("#tags .tag")).Should().BeEmpty("the tags of the earlier post are gone");
        browser.FindElement(By.Id("tags")).Text.Should().Be("none: the service refused the post");
        browser.FindElement(By.Id("scores")).Displayed.Should().BeFalse();
    }

    [ChromiumFact]
    public void The_page_asks_for_nothing_it_does_not_have()
    {
        using var browser = HeadlessChromium.Start();
        browser.Navigate().GoToUrl(root);
        browser.FindElement(By.Id("post")).SendKeys("$\\mathbb{C}^N \\setminus V(B)$ $$\\mathcal{F} \\bigl(\\sum x\\bigr)$$");
        var fonts = ((IJavaScriptExecutor)browser).ExecuteAsyncScript(
            "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done([...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)))");
        ((IEnumerable<object>)fonts!).Select(f => (string)f).Should().Contain(["KaTeX_AMS", "KaTeX_Main"], "the fonts the formulas need came from the service");

        var failed = ((IJavaScriptExecutor)browser).ExecuteScript(
            "return performance.getEntriesByType('resource').filter(e => e.responseStatus >= 400 || !e.name.startsWith(location.origin)).map(e => e.name)");
        ((IEnumerable<object>)failed!).Should().BeEmpty("every script, style, font and the icon are served by the service itself");
        var icon = ((IJavaScriptExecutor)browser).ExecuteAsyncScript(
            "const done = arguments[arguments.length - 1]; fetch('/favicon.ico').then(r => done(r.status + ' ' + r.headers.get('content-type')))");
        icon.Should().Be("200 image/x-icon");
    }
}
