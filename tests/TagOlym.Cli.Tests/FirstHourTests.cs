using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Cli.Tests;

/// <summary>What a new user meets in the first hour: every mistake answered by one clear line and an exit code,
/// defaults that match the README, progress that reads right in a terminal and in a log file.</summary>
public sealed partial class FirstHourTests
{
    private const string Post = "How many ways can 5 people sit around a round table?";

    private static readonly Lazy<string> Sample = new(() =>
    {
        var path = Path.Combine(CliRunner.TemporaryDirectory(), "sample.jsonl");
        using var input = new StreamReader(new GZipStream(File.OpenRead(SharedData.Path("data", "mse-questions.jsonl.gz")), CompressionMode.Decompress));
        using var output = new StreamWriter(path);
        for (var i = 0; i < 2000 && input.ReadLine() is { } line; i++)
        {
            output.WriteLine(line);
        }

        return path;
    });

    /// <summary>Learning that lasts a few seconds (300 epochs, no early stop), so the terminal shows labels while they learn.</summary>
    private static readonly Lazy<string> LongLearningArgs = new(() =>
    {
        var path = Path.Combine(CliRunner.TemporaryDirectory(), "long-args.json");
        File.WriteAllText(path, """{"ngram_max": 2, "loss": "log_loss", "alpha": 1e-5, "l1_ratio": 0.0, "learning_rate": "optimal", "early_stopping": false, "max_iter": 300, "tol": null}""");
        return path;
    });

    private static readonly Lazy<string> FastArgs = new(() =>
    {
        var path = Path.Combine(CliRunner.TemporaryDirectory(), "args.json");
        File.WriteAllText(path, """{"loss": "log_loss", "alpha": 1e-5, "l1_ratio": 0.0, "learning_rate": "optimal"}""");
        return path;
    });

    /// <summary>One line on stderr (plus, for a usage mistake, where the help is), the exit code, no stack trace, no .NET type.</summary>
    private static void ShouldFailCleanly(CliRunner.Result result, int exitCode, string message)
    {
        result.ExitCode.Should().Be(exitCode, result.Stderr);
        result.Stderr.Should().Contain(message);
        result.Stderr.Should().StartWith("tagolym: ");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.Should().BeLessThanOrEqualTo(2, result.Stderr);
        if (lines.Length == 2)
        {
            lines[1].Should().MatchRegex("^see: tagolym( [a-z]+)* --help$");
        }

        result.Stderr.Should().NotContain("   at ", "no stack trace");
        DotNetTypeName().IsMatch(result.Stderr + result.Stdout).Should().BeFalse($"no .NET type name in: {result.Stderr}");
        result.Stdout.Should().BeEmpty();
    }

    [GeneratedRegex(@"\b(System|TagOlym|Microsoft)\.[A-Z]\w*|\.NET|Exception\b|`\d")]
    private static partial Regex DotNetTypeName();

    [Fact]
    public void An_unknown_split_names_the_allowed_values_and_help_spells_them_as_the_readme()
    {
        ShouldFailCleanly(CliRunner.Run("train", "--data", Sample.Value, "--split", "bogus"), 2, "--split must be stratified or fixed; got 'bogus'");
        ShouldFailCleanly(CliRunner.Run("train", "--data", Sample.Value, "--seed", "abc"), 2, "--seed must be a whole number; got 'abc'");
        var nested = CliRunner.Run("models", "promote", "--name", "tagolym");
        nested.ExitCode.Should().Be(2);
        nested.Stderr.Should().Be("tagolym: Option '--version' is required.\nsee: tagolym models promote --help\n");

        var help = CliRunner.Run("train", "--help");
        help.ExitCode.Should().Be(0);
        help.Stdout.Should().Contain("--split <stratified|fixed>").And.Contain("(default: stratified)").And.Contain("config/args_best.json");
        File.ReadAllText(Path.Combine(RepositoryRoot, "README.md")).Should().Contain("[--split stratified|fixed]");
    }

    [Fact]
    public void Unknown_or_mistyped_rules_keys_are_named_without_types()
    {
        var directory = CliRunner.TemporaryDirectory();
        var unknown = Path.Combine(directory, "unknown.json");
        File.WriteAllText(unknown, """{"max_duplicate_share": 0.05, "max_duplicates": 1}""");
        var mistyped = Path.Combine(directory, "mistyped.json");
        File.WriteAllText(mistyped, """{"max_duplicate_share": "five percent"}""");
        var notAnObject = Path.Combine(directory, "list.json");
        File.WriteAllText(notAnObject, "[0.05]");

        ShouldFailCleanly(CliRunner.Run("validate", "--data", Sample.Value, "--rules", unknown), 1, "unknown key \"max_duplicates\" (known: min_rows, ");
        ShouldFailCleanly(CliRunner.Run("train", "--data", Sample.Value, "--args", FastArgs.Value, "--rules", unknown, "--no-track"), 1, "unknown key \"max_duplicates\"");
        ShouldFailCleanly(CliRunner.Run("validate", "--data", Sample.Value, "--rules", mistyped), 1, "\"max_duplicate_share\" has a value of the wrong kind");
        ShouldFailCleanly(CliRunner.Run("validate", "--data", Sample.Value, "--rules", notAnObject), 1, "it must be one JSON object of rules");
    }

    [Fact]
    public void Every_missing_input_is_reported_in_the_same_words()
    {
        var missing = Path.Combine(CliRunner.TemporaryDirectory(), "missing.jsonl");
        var output = Path.Combine(CliRunner.TemporaryDirectory(), "out.jsonl");
        var cases = new (string[] Args, string Option)[]
        {
            (["validate", "--data", missing], "--data"),
            (["train", "--data", missing, "--args", FastArgs.Value, "--no-track"], "--data"),
            (["train", "--data", Sample.Value, "--args", missing, "--no-track"], "--args"),
            (["train", "--data", Sample.Value, "--args", FastArgs.Value, "--labels", missing, "--no-track"], "--labels"),
            (["validate", "--data", Sample.Value, "--rules", missing], "--rules"),
            (["preprocess", "--input", missing, "--output", output], "--input"),
            (["predict", "--model", missing, Post], "--model"),
            (["predict", "--model", missing, "--input", missing], "--input"),
            (["evaluate", "--model", missing, "--data", Sample.Value], "--model"),
            (["evaluate", "--model", missing, "--data", missing], "--data"),
        };
        foreach (var (args, option) in cases)
        {
            ShouldFailCleanly(CliRunner.Run(args), 1, $"tagolym: cannot read {missing} ({option}): no such file or directory");
        }

        File.Exists(output).Should().BeFalse();
    }

    [Fact]
    public void Unwritable_outputs_are_refused_before_any_work_naming_the_users_path()
    {
        var directory = CliRunner.TemporaryDirectory();
        var cases = new (string[] Args, string Message)[]
        {
            (["train", "--data", Sample.Value, "--args", FastArgs.Value, "--no-track", "--model-out", "/proc/tagolym.model"], "cannot write /proc/tagolym.model (--model-out): "),
            (["train", "--data", Sample.Value, "--args", FastArgs.Value, "--no-track", "--model-out", Path.Combine(directory, "m.model"), "--metrics-out", directory],
                $"cannot write {directory} (--metrics-out): it is a directory"),
            (["preprocess", "--input", Sample.Value, "--output", "/proc/pre.jsonl"], "cannot write /proc/pre.jsonl (--output): "),
            (["evaluate", "--model", Path.Combine(directory, "none.model"), "--data", Sample.Value, "--metrics-out", "/proc/metrics.json"], "cannot write /proc/metrics.json (--metrics-out): "),
        };
        foreach (var (args, message) in cases)
        {
            var result = CliRunner.Run(args);
            ShouldFailCleanly(result, 1, message);
            result.Stderr.Should().NotContain(".tmp").And.NotContain("validate").And.NotContain("learn", "the check comes before any work");
        }

        File.Exists(Path.Combine(directory, "m.model")).Should().BeFalse();
        Directory.EnumerateFileSystemEntries(directory).Should().BeEmpty("the check leaves nothing behind");
    }

    [Fact]
    public void Progress_goes_to_stderr_in_plain_lines_and_the_summary_is_not_wrapped_when_redirected()
    {
        var directory = CliRunner.TemporaryDirectory();
        var result = CliRunner.RunIn(directory, new Dictionary<string, string?> { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color" }, null,
            "train", "--data", Sample.Value, "--args", FastArgs.Value, "--no-track", "--model-out", Path.Combine(directory, "m.model"));

        result.ExitCode.Should().Be(0, result.Stderr);
        (result.Stdout + result.Stderr).Should().NotContain("\u001b", "neither stream is a terminal");
        var progress = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        progress.Should().Contain(l => l.StartsWith("validate: done in ", StringComparison.Ordinal));
        progress.Should().Contain(l => Regex.IsMatch(l, @"^learn:algebra: done \(stopped after \d+ epochs\) in \d+\.\d s$"));
        progress.Should().OnlyContain(l => l.Contains(": done", StringComparison.Ordinal), "one line per finished stage, nothing else");
        result.Stdout.Should().NotContain("validate: done", "stdout holds the results only");
        var lines = result.Stdout.Split('\n');
        lines.Should().Contain(l => l.Contains("random, rules: baselines on the test split (each label at its training share; a label when its name appears)", StringComparison.Ordinal),
            "the caption stays on one line");
        lines.Should().Contain(l => Regex.IsMatch(l, @"\btest\b.*\d\.\d{3}.*\d\.\d{3}.*\d\.\d{3}.*\d\.\d{3}"), "a split's figures stay on one row");
        lines.Should().Contain(l => l.StartsWith("time: validate ", StringComparison.Ordinal) && l.EndsWith(" MB)", StringComparison.Ordinal),
            "the stage times stay on one line");
    }

    [Fact]
    public void On_a_terminal_a_learning_label_reads_running_until_it_stops_and_then_100_percent()
    {
        // script (util-linux, in every Debian) gives the command a pseudo-terminal as a user's shell would
        var directory = CliRunner.TemporaryDirectory();
        var typescript = Path.Combine(directory, "terminal.txt");
        var stdout = Path.Combine(directory, "stdout.txt");
        var command = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "tagolym.dll")}' train --data '{Sample.Value}' --args '{LongLearningArgs.Value}' " +
            $"--no-track --model-out '{Path.Combine(directory, "m.model")}' > '{stdout}'";
        var start = new System.Diagnostics.ProcessStartInfo("script", ["-qec", command, typescript]) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Remove("NO_COLOR");
        start.Environment["TERM"] = "xterm-256color";
        using (var process = System.Diagnostics.Process.Start(start)!)
        {
            process.StandardOutput.ReadToEnd();
            process.WaitForExit(TimeSpan.FromMinutes(5)).Should().BeTrue();
            process.ExitCode.Should().Be(0);
        }

        var screen = AnsiEscape().Replace(File.ReadAllText(typescript), string.Empty);
        var rows = screen.Split('\r', '\n').Where(r => r.Contains("learn:", StringComparison.Ordinal)).ToArray();
        rows.Should().Contain(r => r.Contains("(epoch ", StringComparison.Ordinal) && r.Contains("running", StringComparison.Ordinal));
        rows.Where(r => r.Contains("(epoch ", StringComparison.Ordinal)).Should().NotContain(r => r.Contains('%', StringComparison.Ordinal),
            "a label still learning has no known end: no percentage, so never 0 % at epoch 23");
        rows.Should().Contain(r => r.Contains("learn:algebra (stopped after 300 epochs)", StringComparison.Ordinal) && r.Contains("100 %", StringComparison.Ordinal));
        var results = File.ReadAllText(stdout);
        results.Should().Contain("weighted F1").And.NotContain("learn:").And.NotContain("\u001b", "the results went to a file: plain");
    }

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[A-Za-z]|\][^\u0007]*\u0007|[()][A-Z0-9])")]
    private static partial Regex AnsiEscape();

    [Fact]
    public void Predict_without_a_model_uses_the_champion_or_says_how_to_get_one()
    {
        var work = CliRunner.TemporaryDirectory();
        var none = CliRunner.RunIn(work, null, null, "predict", Post);
        ShouldFailCleanly(none, 1, "no --model given and no champion in the tracking store stores/model (models:/tagolym@champion): train and register one with 'tagolym train --data FILE --register'");

        var model = Path.Combine(work, "m.model");
        var train = CliRunner.RunIn(work, null, null, "train", "--data", Sample.Value, "--args", FastArgs.Value, "--model-out", model, "--register", "--quiet");
        train.ExitCode.Should().Be(0, train.Stderr);
        CliRunner.RunIn(work, null, null, "models", "promote", "--name", "tagolym", "--version", "1").ExitCode.Should().Be(0);

        var champion = CliRunner.RunIn(work, null, null, "predict", Post);
        champion.ExitCode.Should().Be(0, champion.Stderr);
        champion.Stdout.Should().Be(CliRunner.Run("predict", "--model", model, Post).Stdout);
        JsonNode.Parse(champion.Stdout)!["scores"]!.AsObject().Count.Should().Be(10);
    }

    [Fact]
    public void Lone_surrogates_escaped_or_raw_are_replaced_and_counted_by_validate_preprocess_and_train()
    {
        var directory = CliRunner.TemporaryDirectory();
        var data = Path.Combine(directory, "scraped.jsonl");
        using (var file = File.Create(data))
        {
            file.Write("{\"id\": \"escaped\", \"post_canonical\": \"\\ud800 $x$ is a lone high surrogate, \\udc00 a low one\", \"tags\": [\"algebra\"]}\n"u8);
            file.Write("{\"id\": \"raw\", \"post_canonical\": \"raw bytes "u8);
            file.Write([0xED, 0xA0, 0x80, 0xFF]); // a surrogate encoded in UTF-8 (never valid) and a byte that starts nothing
            file.Write(" in $\\\\mathbb{C}^N$\", \"tags\": [\"geometry\"]}\n"u8);
            file.Write(File.ReadAllBytes(Sample.Value));
        }

        var validate = CliRunner.Run("validate", "--data", data);
        validate.ExitCode.Should().Be(0, validate.Stderr + validate.Stdout);
        validate.Stdout.Should().MatchRegex(@"invalid Unicode replaced\s+6 characters in 2 \(");
        validate.Stdout.Should().Contain("WARNING invalid_unicode: 2 rows held lone UTF-16 surrogates or invalid UTF-8");
        validate.Stdout.Should().Contain("row 1 (id escaped): 2 characters replaced by U+FFFD").And.Contain("row 2 (id raw): 4 characters replaced by U+FFFD");
        var json = JsonNode.Parse(CliRunner.Run("validate", "--data", data, "--json").Stdout)!;
        json["repaired_text_rows"]!.GetValue<long>().Should().Be(2);
        json["replaced_characters"]!.GetValue<long>().Should().Be(6);

        var preprocessed = Path.Combine(directory, "pre.jsonl");
        var preprocess = CliRunner.Run("preprocess", "--input", data, "--output", preprocessed);
        preprocess.ExitCode.Should().Be(0, preprocess.Stderr);
        var lines = File.ReadAllLines(preprocessed, Encoding.UTF8);
        lines.Should().HaveCount(2002);
        JsonNode.Parse(lines[0])!["text"]!.GetValue<string>().Should().Contain("lone high surrogate");
        JsonNode.Parse(lines[1])!["text"]!.GetValue<string>().Should().Contain("raw bytes").And.Contain("mathbb");

        var train = CliRunner.Run("train", "--data", data, "--args", FastArgs.Value, "--no-track", "--quiet", "--model-out", Path.Combine(directory, "m.model"));
        train.ExitCode.Should().Be(0, train.Stderr);
        train.Stdout.Should().Contain("model written to");
    }

    private static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TagOlym.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("the tests run outside the repository");
        }
    }
}
