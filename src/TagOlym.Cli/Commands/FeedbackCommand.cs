using System.CommandLine;
using System.Data.Common;
using TagOlym.Core.Data;

namespace TagOlym.Cli.Commands;

/// <summary><c>tagolym feedback export</c>: moderators' accepted tags, from the service's feedback database, as labeled posts for <c>train</c>.</summary>
internal static class FeedbackCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "The JSON Lines file to write ({id, post_canonical, tags} a line)", Required = true };
        var database = new Option<FileInfo>("--db")
        {
            Description = "The service's feedback database (Feedback:ConnectionString)",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("stores", "feedback.db")),
        };
        var export = new Command("export", "Write the accepted tags as labeled posts that train and retrain read") { output, database };
        export.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var db = parse.GetValue(database)!;
            if (!db.Exists)
            {
                return CliErrors.Usage($"no feedback database at {db.FullName} (give --db, the file of the service's Feedback:ConnectionString)");
            }

            var target = parse.GetValue(output)!;
            int rows;
            try
            {
                rows = await new FeedbackStore($"Data Source={db.FullName};Mode=ReadWrite").ExportLabeledAsync(target.FullName, cancellationToken);
            }
            catch (DbException e)
            {
                return CliErrors.Usage($"{db.FullName} is not a readable feedback database: {e.Message}");
            }

            Console.WriteLine($"wrote {rows:N0} labeled posts to {target.FullName}");
            return 0;
        }));
        return new Command("feedback", "Moderators' feedback recorded by the service (POST /feedback)") { export };
    }
}
