using System.CommandLine;
using System.Text.Json;
using TagOlym.Core;
using TagOlym.Core.Data;
using TagOlym.Core.Text;

namespace TagOlym.Cli.Commands;

/// <summary><c>tagolym preprocess</c>: one JSON line per input post, <c>{"id": ..., "text": "..."}</c>, in input order.</summary>
internal static class PreprocessCommand
{
    private const int BatchSize = 4096;

    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "Posts (JSON Lines or JSON array, optionally gzip) with a text or post_canonical field", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Where to write the JSON Lines result", Required = true };
        var noCommand = new Option<bool>("--nocommand") { Description = "Drop the command words prove, let, find, show, given" };
        var stem = new Option<bool>("--stem") { Description = "Porter-stem every word" };
        var titleWeight = new Option<int>("--title-weight") { Description = "Count the words of a post's first line this many more times" };
        var command = new Command("preprocess", "Preprocess posts as training does, for debugging and conformance checks") { input, output, noCommand, stem, titleWeight };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            CliPaths.CheckInputs((parse.GetValue(input), "--input"));
            CliPaths.CheckOutputs((parse.GetValue(output), "--output"));
            var options = new PreprocessOptions(parse.GetValue(noCommand), parse.GetValue(stem), parse.GetValue(titleWeight));
            var count = Run(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName, options);
            Console.Error.WriteLine($"preprocessed {count:N0} posts");
            return 0;
        }));
        return command;
    }

    private static int Run(string inputPath, string outputPath, PreprocessOptions options)
    {
        var count = 0;
        AtomicFile.Write(outputPath, file =>
        {
            using var reader = PostReader.Open(inputPath, PostReaderOptions.PostsOnly);
            using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = false });
            var batch = new List<PostRecord>(BatchSize);
            var texts = new string[BatchSize];
            while (true)
            {
                batch.Clear();
                while (batch.Count < BatchSize && reader.ReadNext() is { } record)
                {
                    if (!record.HasPost)
                    {
                        throw new InvalidDataException($"{inputPath}, row {record.Row}: {record.Error ?? "no text or post_canonical string"}");
                    }

                    batch.Add(record);
                }

                if (batch.Count == 0)
                {
                    return;
                }

                Parallel.For(0, batch.Count, i => texts[i] = PostPreprocessor.Preprocess(batch[i].Post!, options));
                for (var i = 0; i < batch.Count; i++)
                {
                    json.WriteStartObject();
                    json.WritePropertyName("id");
                    batch[i].Id.WriteTo(json);
                    json.WriteString("text", texts[i]);
                    json.WriteEndObject();
                    json.Flush();
                    json.Reset();
                    file.WriteByte((byte)'\n');
                }

                count += batch.Count;
            }
        });
        return count;
    }
}
