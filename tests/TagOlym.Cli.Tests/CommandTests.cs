using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Cli.Tests;

/// <summary>A small real data file and a model trained from it by the CLI, shared by the tests.</summary>
public sealed class TrainedCliFixture
{
    public TrainedCliFixture()
    {
        Directory = CliRunner.TemporaryDirectory();
        DataPath = Path.Combine(Directory, "sample.jsonl");
        using (var input = new StreamReader(new GZipStream(File.OpenRead(SharedData.Path("data", "mse-questions.jsonl.gz")), CompressionMode.Decompress)))
        using (var output = new StreamWriter(DataPath))
        {
            for (var i = 0; i < 3000 && input.ReadLine() is { } line; i++)
            {
                output.WriteLine(line);
            }
        }

        ArgsPath = Path.Combine(Directory, "args.json");
        File.WriteAllText(ArgsPath, """{"ngram_max": 2, "stem": true, "loss": "log_loss", "alpha": 1e-5, "l1_ratio": 0.0, "learning_rate": "optimal"}""");
        ModelPath = Path.Combine(Directory, "model.tagolym");
        MetricsPath = Path.Combine(Directory, "metrics.json");
        Train = CliRunner.Run("train", "--data", DataPath, "--args", ArgsPath, "--model-out", ModelPath, "--metrics-out", MetricsPath, "--quiet");
    }

    public string Directory { get; }

    public string DataPath { get; }

    public string ArgsPath { get; }

    public string ModelPath { get; }

    public string MetricsPath { get; }

    public CliRunner.Result Train { get; }
}

public sealed class CommandTests(TrainedCliFixture fixture) : IClassFixture<TrainedCliFixture>
{
    [Fact]
    public void Train_writes_a_model_and_metrics_in_the_anchors_layout()
    {
        fixture.Train.ExitCode.Should().Be(0, fixture.Train.Stderr);
        File.Exists(fixture.ModelPath).Should().BeTrue();
        var metrics = JsonNode.Parse(File.ReadAllText(fixture.MetricsPath))!.AsObject();
        metrics.Select(p => p.Key).Should().Equal("train", "val", "test");
        foreach (var (_, split) in metrics)
        {
            split!.AsObject().Select(p => p.Key).Should().Contain(["overall", "micro", "class", "slices"]);
            split["overall"]!["f1"]!.GetValue<double>().Should().BeInRange(0.3, 1.0);
            split["class"]!.AsObject().Count.Should().Be(10);
        }

        fixture.Train.Stdout.Should().Contain("weighted F1").And.Contain("model written to");
    }

    [Fact]
    public void Predict_takes_posts_as_arguments_and_answers_one_json_line_each()
    {
        var result = CliRunner.Run("predict", "--model", fixture.ModelPath,
            "How many subsets of a 10-element set have an even number of elements?", "Prove that $\\sqrt 2$ is irrational.");

        result.ExitCode.Should().Be(0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        lines.Should().HaveCount(2);
        lines[0]["scores"]!.AsObject().Count.Should().Be(10);
        lines[0]["tags"]!.AsArray().Select(t => t!["tag"]!.GetValue<string>()).Should().Contain("combinatorics");
    }

    [Fact]
    public void Predict_reads_json_lines_from_standard_input_and_keeps_ids_and_order()
    {
        var input = """
            {"id": 7, "text": "Find the area of a circle inscribed in a square of side 2."}
            {"id": "b", "post_canonical": "Solve $x^2 \\equiv 1 \\pmod 8$."}
            """;
        var result = CliRunner.RunWithInput(input, "predict", "--model", fixture.ModelPath, "--input", "-");

        result.ExitCode.Should().Be(0, result.Stderr);
        var ids = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["id"]!.ToJsonString());
        ids.Should().Equal("7", "\"b\"");
    }

    [Fact]
    public void Predict_writes_ids_and_explanations_as_they_read_escaping_only_what_json_needs()
    {
        var input = """
            {"id": "é+1 <q>", "text": "Find the area of a circle inscribed in a square of side 2."}
            """;
        var result = CliRunner.RunWithInput(input, "predict", "--model", fixture.ModelPath, "--input", "-", "--explain");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().StartWith("""{"id":"é+1 <q>",""").And.NotContain("\\u00");
        JsonNode.Parse(result.Stdout)!["explain"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public void Evaluate_reports_on_the_math_set_with_the_default_taxonomy_and_with_the_math_one()
    {
        var math = SharedData.Path("data", "math-competition.jsonl.gz");

        // a model of Math Stack Exchange (ten labels, seven of which the MATH set never has)
        var defaultReport = Path.Combine(fixture.Directory, "math-default.html");
        var byDefault = CliRunner.Run("evaluate", "--model", fixture.ModelPath, "--data", math, "--report", defaultReport);
        byDefault.ExitCode.Should().Be(0, byDefault.Stderr);
        byDefault.Stdout.Should().Contain("no support").And.Contain("7,500");
        File.ReadAllText(defaultReport).Should().Contain("no support: no post carries this label").And.Contain("tagolym evaluation on math-competition.jsonl.gz");

        // a model of the MATH subjects, trained with their taxonomy
        var mathModel = Path.Combine(fixture.Directory, "math.model");
        var train = CliRunner.Run("train", "--data", math, "--labels", SharedData.RepositoryPath("config", "labels-math.json"), "--args", fixture.ArgsPath,
            "--model-out", mathModel, "--no-track", "--quiet", "--report", Path.Combine(fixture.Directory, "math-train.html"));
        train.ExitCode.Should().Be(0, train.Stderr);
        File.ReadAllText(Path.Combine(fixture.Directory, "math-train.html")).Should().Contain("tagolym training report").And.Contain("precalculus");
        var mathReport = Path.Combine(fixture.Directory, "math-math.html");
        var bySubjects = CliRunner.Run("evaluate", "--model", mathModel, "--data", math, "--report", mathReport);
        bySubjects.ExitCode.Should().Be(0, bySubjects.Stderr);
        bySubjects.Stdout.Should().NotContain("no support");
        var html = File.ReadAllText(mathReport);
        html.Should().Contain("counting and probability").And.NotContain("no support: no post carries");
        html.Split("class=\"plot").Length.Should().Be(1 + 1 + 7 + 7 + 2, "the bars, two plots per subject, two co-occurrence maps");
    }

    [Fact]
    public void Evaluate_measures_the_model_on_a_labeled_file()
    {
        var metricsPath = Path.Combine(fixture.Directory, "eval.json");
        var result = CliRunner.Run("evaluate", "--model", fixture.ModelPath, "--data", fixture.DataPath, "--metrics-out", metricsPath);

        result.ExitCode.Should().Be(0, result.Stderr);
        var metrics = JsonNode.Parse(File.ReadAllText(metricsPath))!;
        metrics["overall"]!["num_samples"]!.GetValue<long>().Should().Be(3000);
        result.Stdout.Should().Contain("weighted").And.Contain("algebra");
    }

    [Fact]
    public void Validate_prints_the_report_and_exits_zero_on_good_data()
    {
        var text = CliRunner.Run("validate", "--data", fixture.DataPath);
        var json = CliRunner.Run("validate", "--data", fixture.DataPath, "--json");

        text.ExitCode.Should().Be(0, text.Stderr);
        text.Stdout.Should().Contain("rows read").And.Contain("3,000");
        json.ExitCode.Should().Be(0);
        JsonNode.Parse(json.Stdout)!["rows_read"]!.GetValue<long>().Should().Be(3000);
    }

    [Fact]
    public void Validate_exits_non_zero_and_names_the_row_of_malformed_data()
    {
        var path = Path.Combine(fixture.Directory, "bad.jsonl");
        File.WriteAllText(path, "{\"id\": 1, \"post_canonical\": \"fine\", \"tags\": [\"algebra\"]}\n{\"id\": 2, \"post_canonical\": \n");

        var result = CliRunner.Run("validate", "--data", path);

        result.ExitCode.Should().NotBe(0);
        result.Stdout.Should().Contain("row 2");
    }

    [Fact]
    public void Preprocess_writes_one_line_per_post_with_the_anchors_text()
    {
        var golden = SharedData.Path("data", "golden", "preprocess_golden.jsonl");
        var output = Path.Combine(fixture.Directory, "preprocessed.jsonl");

        var result = CliRunner.Run("preprocess", "--input", golden, "--output", output, "--nocommand", "--stem");

        result.ExitCode.Should().Be(0, result.Stderr);
        var expected = File.ReadLines(golden).Select(l => JsonNode.Parse(l)!).ToArray();
        var actual = File.ReadLines(output).Select(l => JsonNode.Parse(l)!).ToArray();
        actual.Select(a => a["id"]!.GetValue<long>()).Should().Equal(expected.Select(e => e["id"]!.GetValue<long>()));
        var matches = actual.Zip(expected).Count(p => p.First["text"]!.GetValue<string>() == p.Second["nocommand_true_stem_true"]!.GetValue<string>());
        ((double)matches / expected.Length).Should().BeGreaterThan(0.995);
    }

    [Fact]
    public void Validation_rules_from_a_file_decide_what_is_an_error()
    {
        var data = Path.Combine(fixture.Directory, "duplicates.jsonl");
        var lines = Enumerable.Range(0, 40).Select(i => $"{{\"id\": {i}, \"post_canonical\": \"post {i % 30} about primes\", \"tags\": [\"number-theory\"]}}");
        File.WriteAllLines(data, lines);
        var lenient = Path.Combine(fixture.Directory, "lenient.json");
        File.WriteAllText(lenient, """{"max_duplicate_share": 0.5, "min_posts_per_label": 0}""");
        var strict = Path.Combine(fixture.Directory, "strict.json");
        File.WriteAllText(strict, """{"min_posts_per_label": 0}""");
        var typo = Path.Combine(fixture.Directory, "typo.json");
        File.WriteAllText(typo, """{"max_duplicates_share": 0.5}""");

        // 10 of 40 posts repeat an earlier one: 25 %, over the default 1 %
        CliRunner.Run("validate", "--data", data, "--rules", strict).ExitCode.Should().Be(1);
        CliRunner.Run("validate", "--data", data, "--rules", lenient).ExitCode.Should().Be(0);
        var bad = CliRunner.Run("validate", "--data", data, "--rules", typo);
        bad.ExitCode.Should().Be(1);
        bad.Stderr.Should().Contain("max_duplicates_share");
    }

    [Theory]
    [InlineData("""{"loss": "squared"}""", "loss \"squared\"")]
    [InlineData("""{"ngram_max": 9}""", "ngram_max")]
    public void Train_refuses_bad_arguments_and_names_the_key(string args, string message)
    {
        var path = Path.Combine(fixture.Directory, $"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, args);
        var model = Path.Combine(fixture.Directory, $"never-{Guid.NewGuid():N}.tagolym");

        var result = CliRunner.Run("train", "--data", fixture.DataPath, "--args", path, "--model-out", model, "--quiet");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain(message);
        File.Exists(model).Should().BeFalse("nothing is written when training cannot start");
    }

    [Fact]
    public void Missing_files_and_corrupt_models_are_clear_errors()
    {
        var missing = CliRunner.Run("train", "--data", Path.Combine(fixture.Directory, "absent.jsonl"), "--args", fixture.ArgsPath, "--quiet");
        var notModel = CliRunner.Run("predict", "--model", fixture.ArgsPath, "some post");
        var noPosts = CliRunner.Run("predict", "--model", fixture.ModelPath);

        missing.ExitCode.Should().Be(1);
        missing.Stderr.Should().Contain("absent.jsonl");
        notModel.ExitCode.Should().Be(1);
        notModel.Stderr.Should().Contain("not a TagOlym model");
        noPosts.ExitCode.Should().Be(2);
    }

    [Fact]
    public void Help_lists_every_command()
    {
        var result = CliRunner.Run("--help");

        result.ExitCode.Should().Be(0);
        foreach (var command in new[] { "validate", "preprocess", "train", "evaluate", "predict", "models" })
        {
            result.Stdout.Should().Contain(command);
        }
    }
}
