using System.CommandLine;
using TagOlym.Core.Tracking;

namespace TagOlym.Cli.Commands;

/// <summary><c>tagolym models register|promote|list</c>: the model registry of the tracking store.</summary>
internal static class ModelsCommand
{
    public static Command Create() => new("models", "The model registry: register a run's model, promote a version to champion, list versions")
    {
        Register(),
        Promote(),
        List(),
    };

    private static Option<string> Name() =>
        new("--name") { Description = "Registered model name", DefaultValueFactory = _ => TrainingRuns.DefaultModelName };

    private static Command Register()
    {
        var runId = new Option<string>("--run-id") { Description = "The run whose model/ is registered (see config/run_id.txt)", Required = true };
        var name = Name();
        var description = new Option<string?>("--description") { Description = "Description of the version" };
        var trackingUri = CommonOptions.TrackingUri();
        var command = new Command("register", "Register a run's model as the next version") { runId, name, description, trackingUri };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var store = TrackingStores.Open(parse.GetValue(trackingUri));
            var version = await TrainingRuns.RegisterAsync(store, parse.GetValue(runId)!, parse.GetValue(name)!, parse.GetValue(description), cancellationToken);
            Console.WriteLine($"registered {version.Name} version {version.Version} from run {version.RunId} (models:/{version.Name}/{version.Version})");
            return 0;
        }));
        return command;
    }

    private static Command Promote()
    {
        var name = Name();
        var version = new Option<string>("--version") { Description = "The version to serve", Required = true };
        var alias = new Option<string>("--alias") { Description = "The alias to point at it", DefaultValueFactory = _ => TrainingRuns.ChampionAlias };
        var trackingUri = CommonOptions.TrackingUri();
        var command = new Command("promote", "Point the champion alias (the version to serve) at a version") { name, version, alias, trackingUri };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var store = TrackingStores.Open(parse.GetValue(trackingUri));
            var promoted = await TrainingRuns.PromoteAsync(store, parse.GetValue(name)!, parse.GetValue(version)!, parse.GetValue(alias)!, cancellationToken);
            Console.WriteLine($"{promoted.Name}@{parse.GetValue(alias)} is now version {promoted.Version} (run {promoted.RunId})");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var name = new Option<string?>("--name") { Description = "Only this registered model" };
        var trackingUri = CommonOptions.TrackingUri();
        var command = new Command("list", "List registered models and their versions") { name, trackingUri };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var store = TrackingStores.Open(parse.GetValue(trackingUri));
            var models = parse.GetValue(name) is { } only
                ? [await store.GetRegisteredModelAsync(only, cancellationToken)]
                : await store.SearchRegisteredModelsAsync(cancellationToken);
            if (models.Count == 0)
            {
                Console.WriteLine($"no registered models in {store.Location}");
                return 0;
            }

            // one line per version, whitespace-separated, so that scripts can read it
            Console.WriteLine("model\tversion\taliases\trun_id\tcreated_utc\tsource");
            foreach (var model in models)
            {
                // the registered model's aliases, not the versions': MLflow 2.9.2's SQL backend leaves them out of a version search
                var aliasesOf = model.Aliases.ToLookup(a => a.Value, a => a.Key);
                foreach (var version in await store.SearchModelVersionsAsync(model.Name, cancellationToken))
                {
                    var created = version.CreationTimestamp is { } t
                        ? DateTimeOffset.FromUnixTimeMilliseconds(t).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)
                        : "-";
                    var aliases = aliasesOf[version.Version].Order(StringComparer.Ordinal).ToList() is { Count: > 0 } named ? string.Join(',', named) : "-";
                    Console.WriteLine($"{model.Name}\t{version.Version}\t{aliases}\t{version.RunId ?? "-"}\t{created}\t{version.Source}");
                }
            }
            return 0;
        }));
        return command;
    }
}
