using TagOlym.Core.Data;

namespace TagOlym.Cli.Tests;

/// <summary><c>tagolym feedback export</c> as a real process, on a database the service's store wrote.</summary>
public sealed class FeedbackCommandTests
{
    [Fact]
    public async Task Export_writes_each_posts_latest_accepted_tags_as_labeled_posts_that_train_reads()
    {
        var directory = CliRunner.TemporaryDirectory();
        var database = Path.Combine(directory, "feedback.db");
        var store = new FeedbackStore($"Data Source={database}");
        var now = DateTimeOffset.UtcNow;
        await store.RecordAsync(new FeedbackEntry(PostId.FromNumber(5), "1", "default", "Solve $x^2 = 4$.", ["algebra"], [], now));
        await store.RecordAsync(new FeedbackEntry(PostId.FromNumber(5), "2", "default", "Solve $x^2 = 4$.", ["algebra", "polynomial"], [], now.AddSeconds(1)));
        await store.RecordAsync(new FeedbackEntry(PostId.FromString("a-6"), "2", "default", "A circle's area", [], ["geometry"], now.AddSeconds(2)));
        var output = Path.Combine(directory, "out", "feedback.jsonl");

        var result = CliRunner.Run("feedback", "export", "--db", database, "--out", output);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain($"wrote 1 labeled posts to {output}");
        var rows = PostReader.ReadAll(output).ToArray();
        rows.Should().ContainSingle();
        rows[0].Id.Should().Be(PostId.FromNumber(5));
        rows[0].Post.Should().Be("Solve $x^2 = 4$.");
        rows[0].Tags.Should().Equal("algebra", "polynomial");
    }

    [Fact]
    public void A_missing_or_foreign_database_is_one_line_and_exit_2()
    {
        var directory = CliRunner.TemporaryDirectory();
        var missing = CliRunner.Run("feedback", "export", "--db", Path.Combine(directory, "none.db"), "--out", Path.Combine(directory, "x.jsonl"));
        var foreign = Path.Combine(directory, "foreign.db");
        File.WriteAllText(foreign, new string('x', 4096));
        var notDb = CliRunner.Run("feedback", "export", "--db", foreign, "--out", Path.Combine(directory, "y.jsonl"));

        missing.ExitCode.Should().Be(2);
        missing.Stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("no feedback database");
        notDb.ExitCode.Should().Be(2);
        notDb.Stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("not a readable feedback database");
        File.Exists(Path.Combine(directory, "y.jsonl")).Should().BeFalse();
    }
}
