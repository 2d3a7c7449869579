using System.Text.Json;
using OpenQA.Selenium;
using TagOlym.Core.Evaluation;
using TagOlym.Web.Tests.Support;
using Xunit.Abstractions;

namespace TagOlym.Web.Tests;

/// <summary>The HTML evaluation report of a real training (model A: 3,000 real posts, 70/15/15), opened from disk in headless Chromium.</summary>
public sealed class ReportPageTests(ITestOutputHelper output)
{
    /// <summary>Where the screenshots go: the test's output folder, kept as the run's artifacts.</summary>
    private static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");

    [ChromiumFact]
    public void The_report_opens_from_disk_without_errors_or_requests_and_every_plot_draws_marks()
    {
        var report = Path.Combine(TestModels.TemporaryDirectory(), "report.html");
        HtmlReport.Write(report, TestModels.ResultA.Report);
        var url = new Uri(report).AbsoluteUri;

        using var browser = HeadlessChromium.Start(1280, 1800, options =>
        {
            options.SetLoggingPreference(LogType.Browser, LogLevel.All);
            options.SetLoggingPreference("performance", LogLevel.All);
        });
        browser.Navigate().GoToUrl(url);

        browser.ExecuteScript("return document.readyState").Should().Be("complete");
        browser.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message)
            .Should().BeEmpty("the report logs nothing to the console");
        RequestedUrls(browser).Should().Equal([url], "the page itself is the only thing loaded");
        browser.ExecuteScript("return performance.getEntriesByType('resource').length").Should().Be(0L);

        var plots = ((IReadOnlyCollection<object>)browser.ExecuteScript("""
            return [...document.querySelectorAll('svg.plot')].map(svg => {
              const marks = [...svg.querySelectorAll('.mark')];
              const drawn = marks.filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
              const box = svg.getBoundingClientRect();
              return svg.id + ' ' + marks.length + ' ' + drawn.length + ' ' + Math.round(box.width) + 'x' + Math.round(box.height);
            });
            """)!).Select(p => ((string)p).Split(' ')).ToArray();
        var labels = TestModels.ResultA.Model.Labels.Count;
        plots.Should().HaveCount(1 + labels + labels + 2, "the bars, a precision-recall and an F1 plot per label, two co-occurrence maps");
        foreach (var plot in plots)
        {
            output.WriteLine(string.Join(' ', plot));
            int.Parse(plot[2], System.Globalization.CultureInfo.InvariantCulture).Should().BePositive($"plot {plot[0]} draws marks of some size");
            plot[3].Should().NotStartWith("0x", $"plot {plot[0]} takes room on the page");
        }

        browser.FindElement(By.CssSelector("#overall tbody")).Text.Should().Contain("rules").And.Contain("random");
        browser.FindElement(By.CssSelector("#ranking tbody")).Text.Should().Contain("train").And.Contain("val").And.Contain("test");

        Directory.CreateDirectory(Artifacts);
        var top = Path.Combine(Artifacts, "evaluation-report.png");
        browser.GetScreenshot().SaveAsFile(top);
        var height = Convert.ToInt32(browser.ExecuteScript("return document.documentElement.scrollHeight"), System.Globalization.CultureInfo.InvariantCulture);
        browser.Manage().Window.Size = new System.Drawing.Size(1280, height);
        browser.GetScreenshot().SaveAsFile(Path.Combine(Artifacts, "evaluation-report-full.png"));
        File.Copy(report, Path.Combine(Artifacts, "evaluation-report.html"), overwrite: true);
        output.WriteLine($"the report and its screenshots are in {Artifacts}");
        new FileInfo(top).Length.Should().BeGreaterThan(10_000);

        // the watchers above would have seen a failure: a console error and a request made now are caught
        browser.ExecuteScript("console.error('probe error'); fetch('http://127.0.0.1:9/probe').catch(() => {});");
        Thread.Sleep(500);
        browser.Manage().Logs.GetLog(LogType.Browser).Select(e => e.Message).Should().Contain(m => m.Contains("probe error", StringComparison.Ordinal));
        RequestedUrls(browser).Should().Contain("http://127.0.0.1:9/probe");
    }

    /// <summary>The URLs the page asked for since the last call, from Chromium's network events.</summary>
    private static List<string> RequestedUrls(OpenQA.Selenium.Chrome.ChromeDriver browser) =>
        browser.Manage().Logs.GetLog("performance")
            .Select(entry => JsonDocument.Parse(entry.Message).RootElement.GetProperty("message"))
            .Where(message => message.GetProperty("method").GetString() == "Network.requestWillBeSent")
            .Select(message => message.GetProperty("params").GetProperty("request").GetProperty("url").GetString()!)
            .ToList();
}
