using System.IO.Compression;
using System.Text.Json;
using OpenQA.Selenium;
using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Models;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Text;
using TagOlym.Web.Tests.Support;
using Xunit.Abstractions;

namespace TagOlym.Web.Tests;

/// <summary>The HTML evaluation report of a real model on real posts, opened from disk in headless Chromium.</summary>
public sealed class ReportPageTests(ITestOutputHelper output)
{
    /// <summary>Where the screenshots go: the test's output folder, kept as the run's artifacts.</summary>
    private static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");

    [ChromiumFact]
    public void The_report_opens_from_disk_without_errors_or_requests_and_every_plot_draws_marks()
    {
        var report = Path.Combine(TestModels.TemporaryDirectory(), "report.html");
        HtmlReport.Write(report, RealReport());
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
        var labels = TestModels.LoadA().Labels.Count;
        plots.Should().HaveCount(1 + labels + labels + 2, "the bars, a precision-recall and an F1 plot per label, two co-occurrence maps");
        foreach (var plot in plots)
        {
            output.WriteLine(string.Join(' ', plot));
            int.Parse(plot[2], System.Globalization.CultureInfo.InvariantCulture).Should().BePositive($"plot {plot[0]} draws marks of some size");
            plot[3].Should().NotStartWith("0x", $"plot {plot[0]} takes room on the page");
        }

        browser.FindElement(By.CssSelector("#overall tbody")).Text.Should().Contain("rules").And.Contain("random");
        browser.FindElement(By.CssSelector("#ranking tbody")).Text.Should().Contain("later posts");

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

    /// <summary>
    /// Model A's report on real posts: the 3,000 it was trained from (70 % of them in its training split) and 1,000 later
    /// ones it never saw, scored through the served path, next to the rule and random baselines on the later posts.
    /// </summary>
    private static ReportInput RealReport()
    {
        var model = TestModels.LoadA();
        var suggester = new TagSuggester(model);
        var lines = new List<string>();
        using (var input = new StreamReader(new GZipStream(File.OpenRead(SharedData.Path("data", "mse-questions.jsonl.gz")), CompressionMode.Decompress)))
        {
            while (lines.Count < 7000 && input.ReadLine() is { } line)
            {
                lines.Add(line);
            }
        }

        var directory = TestModels.TemporaryDirectory();
        (LabeledDataset Data, string[] Texts, double[][] Scores) Score(string name, IEnumerable<string> rows)
        {
            var path = Path.Combine(directory, name + ".jsonl");
            File.WriteAllLines(path, rows);
            var data = DataValidator.LoadDataset(path, model.Taxonomy, ValidationRules.Evaluation).Dataset!;
            var texts = data.Posts.Select(p => PostPreprocessor.Preprocess(p, model.Preprocess)).ToArray();
            var scores = suggester.Suggest(data.Posts).Select(s => s.Scores.ToArray()).ToArray();
            return (data, texts, scores);
        }

        var trained = Score("trained", lines.Take(3000));
        var later = Score("later", lines.Skip(6000));
        var labels = model.Taxonomy.Labels;
        var frequent = FrequentWords.Of(trained.Texts);
        var rules = new RuleBaseline(labels, model.Preprocess.Stem ? PorterStemmer.Stem : null);
        return new ReportInput
        {
            Title = "tagolym: model A on Math Stack Exchange posts",
            Labels = labels.Names,
            Thresholds = model.Thresholds,
            Splits =
            [
                ReportSplit.Measure("training posts", trained.Data.Labels, trained.Scores, model.Thresholds, trained.Texts, labels, frequent),
                ReportSplit.Measure("later posts", later.Data.Labels, later.Scores, model.Thresholds, later.Texts, labels, frequent),
            ],
            Baselines =
            [
                new ReportBaseline("random", "later posts", Evaluator.Evaluate(later.Data.Labels, RandomBaseline.Fit(trained.Data.Labels).Predict(later.Data.Count, 42), labels)),
                new ReportBaseline("rules", "later posts", Evaluator.Evaluate(later.Data.Labels, rules.Predict(later.Texts), labels)),
            ],
            ArgumentsJson = model.Manifest.TrainingArgs?.ToJsonString(),
            DataFingerprint = model.Manifest.DataFingerprint,
            Details = [new("model", "tests' model A"), new("training rows", model.Manifest.TrainingRows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))],
        };
    }
}
