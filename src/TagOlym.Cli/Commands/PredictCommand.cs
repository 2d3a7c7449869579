using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using TagOlym.Core.Data;
using TagOlym.Core.Models;
using TagOlym.Core.Tracking;

namespace TagOlym.Cli.Commands;

/// <summary><c>tagolym predict</c>: one JSON line per post with its suggested tags and every label's score.</summary>
internal static class PredictCommand
{
    private const int BatchSize = 4096;

    public static Command Create()
    {
        var model = CommonOptions.Model(championByDefault: true);
        var trackingUri = CommonOptions.TrackingUri();
        var input = new Option<string?>("--input") { Description = "JSON Lines (or a JSON array) with a text or post_canonical field; - for standard input" };
        var texts = new Argument<string[]>("text") { Description = "Posts given on the command line", Arity = ArgumentArity.ZeroOrMore };
        var explain = new Option<bool>("--explain") { Description = "Say why each suggested tag (or, when none is, the best label) got its score: each member's top n-grams by weight x TF-IDF, its intercept, and the combined score" };
        var command = new Command("predict", "Suggest tags for posts") { model, trackingUri, input, explain, texts };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var posts = parse.GetValue(texts) ?? [];
            var inputPath = parse.GetValue(input);
            if (posts.Length == 0 && inputPath is null)
            {
                return CliErrors.Usage("give posts as arguments, or --input FILE (- for standard input)");
            }

            if (inputPath is not null and not "-")
            {
                CliPaths.CheckInputs((new FileInfo(inputPath), "--input"));
            }

            var modelPath = parse.GetResult(model) is { Implicit: false }
                ? await CommonOptions.ResolveModelAsync(parse.GetValue(model)!, parse.GetValue(trackingUri), cancellationToken)
                : await ResolveChampionAsync(parse.GetValue(trackingUri), cancellationToken);
            var suggester = new TagSuggester(TagModel.Load(modelPath));
            using var stdout = Console.OpenStandardOutput();
            using var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = ReadableJson });
            if (posts.Length > 0)
            {
                Write(json, stdout, suggester, parse.GetValue(explain), posts.Select((post, i) => (PostId.FromNumber(i), post)).ToList());
            }

            if (inputPath is not null)
            {
                using var reader = inputPath == "-"
                    ? PostReader.Open(Console.OpenStandardInput(), PostReaderOptions.PostsOnly)
                    : PostReader.Open(inputPath, PostReaderOptions.PostsOnly);
                var batch = new List<(PostId, string)>(BatchSize);
                do
                {
                    batch.Clear();
                    while (batch.Count < BatchSize && reader.ReadNext() is { } record)
                    {
                        batch.Add(record.HasPost
                            ? (record.Id, record.Post!)
                            : throw new InvalidDataException($"{inputPath}, row {record.Row}: {record.Error ?? "no text or post_canonical string"}"));
                    }

                    Write(json, stdout, suggester, parse.GetValue(explain), batch);
                }
                while (batch.Count == BatchSize);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The champion of the tracking store, or an error that says how to get one.</summary>
    private static async Task<string> ResolveChampionAsync(string? trackingUri, CancellationToken cancellationToken)
    {
        try
        {
            return await CommonOptions.ResolveModelAsync(CommonOptions.DefaultModel, trackingUri, cancellationToken);
        }
        catch (Exception e) when (e is MlflowException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliPathException(
                $"no --model given and no champion in the tracking store {TrackingStores.ResolveUri(trackingUri)} ({CommonOptions.DefaultModel}): " +
                "train and register one with 'tagolym train --data FILE --register', promote it with " +
                "'tagolym models promote --name tagolym --version N', or give --model FILE", e);
        }
    }

    /// <summary>
    /// Escapes only what JSON requires: the lines go to a console or a file, never into HTML, so a tag, an id or an
    /// n-gram reads as written ("zscore+fasttree", not "zscore\u002Bfasttree").
    /// </summary>
    private static readonly JavaScriptEncoder ReadableJson = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>camelCase, as the web service writes explanations too.</summary>
    private static readonly JsonSerializerOptions ExplainJson = new(JsonSerializerDefaults.Web) { Encoder = ReadableJson };

    private static void Write(Utf8JsonWriter json, Stream output, TagSuggester suggester, bool explain, IReadOnlyList<(PostId Id, string Post)> posts)
    {
        var suggestions = suggester.Suggest(posts.Select(p => p.Post).ToArray());
        for (var i = 0; i < posts.Count; i++)
        {
            json.WriteStartObject();
            json.WritePropertyName("id");
            posts[i].Id.WriteTo(json);
            json.WriteStartArray("tags");
            foreach (var tag in suggestions[i].Tags)
            {
                json.WriteStartObject();
                json.WriteString("tag", tag.Tag);
                json.WriteNumber("score", Math.Round(tag.Score, 6));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("scores");
            for (var l = 0; l < suggester.Model.Labels.Count; l++)
            {
                json.WriteNumber(suggester.Model.Labels[l], Math.Round(suggestions[i].Scores[l], 6));
            }

            json.WriteEndObject();
            if (explain)
            {
                var labels = suggester.Model.Explain(posts[i].Post);
                var chosen = labels.Where(l => l.Suggested).OrderByDescending(l => l.Score).ToArray();
                json.WritePropertyName("explain");
                JsonSerializer.Serialize(json, chosen.Length > 0 ? chosen : [labels.MaxBy(l => l.Score)!], ExplainJson);
            }

            json.WriteEndObject();
            json.Flush();
            output.WriteByte((byte)'\n');
            json.Reset();
        }
    }
}
