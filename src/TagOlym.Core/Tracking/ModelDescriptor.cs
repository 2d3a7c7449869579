using System.Globalization;
using System.Text.Json.Nodes;

namespace TagOlym.Core.Tracking;

/// <summary>
/// The <c>MLmodel</c> file beside a logged TagOlym model (the MLflow Model descriptor): the <c>tagolym</c> flavor names
/// the model file, its format version and the labels it predicts.
/// <code>
/// artifact_path: model
/// flavors:
///   tagolym:
///     format_version: 1
///     labels:
///     - algebra
///     model_file: tagolym.model
///     tagolym_version: 1.0.0
/// run_id: ...
/// utc_time_created: '2026-11-22 07:30:00.000000'
/// </code>
/// </summary>
public sealed record ModelDescriptor(string ArtifactPath, string ModelFile, int FormatVersion, IReadOnlyList<string> Labels, string? RunId, string TagOlymVersion, DateTime CreatedUtc)
{
    public const string FileName = "MLmodel";
    public const string Flavor = "tagolym";
    public const string DefaultModelFile = "tagolym.model";

    public string ToYaml() => MlflowYaml.Write(ToMapping());

    /// <summary>The descriptor as MLflow's <c>Model.to_dict()</c>: what <c>MLmodel</c> holds and what the
    /// <c>mlflow.log-model.history</c> tag records.</summary>
    public Dictionary<string, object?> ToMapping()
    {
        var mapping = new Dictionary<string, object?>
        {
            ["artifact_path"] = ArtifactPath,
            ["flavors"] = new Dictionary<string, object?>
            {
                [Flavor] = new Dictionary<string, object?>
                {
                    ["format_version"] = FormatVersion,
                    ["labels"] = Labels,
                    ["model_file"] = ModelFile,
                    ["tagolym_version"] = TagOlymVersion,
                },
            },
            ["utc_time_created"] = CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        };
        if (RunId is not null)
        {
            mapping["run_id"] = RunId;
        }

        return mapping;
    }

    /// <summary>The descriptor as JSON (what <c>runs/log-model</c> sends as <c>model_json</c>).</summary>
    public JsonObject ToJson() => (JsonObject)ToNode(ToMapping())!;

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        IEnumerable<KeyValuePair<string, object?>> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key, ToNode(e.Value)))),
        IEnumerable<string> list => new JsonArray(list.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        _ => throw new ArgumentException($"no JSON form for {value.GetType().Name}", nameof(value)),
    };

    /// <summary>The model file named by an <c>MLmodel</c> text (the <c>tagolym</c> flavor's <c>model_file</c>).</summary>
    public static string ModelFileOf(string mlmodelText)
    {
        var flavors = MlflowYaml.Read(mlmodelText).TryGetValue("flavors", out var value) ? value as IDictionary<object, object?> : null;
        return flavors is not null && flavors.TryGetValue(Flavor, out var flavor)
            ? (flavor as IDictionary<object, object?>)?.TryGetValue("model_file", out var file) == true && file is string name ? name : DefaultModelFile
            : throw new InvalidDataException($"the MLmodel file has no '{Flavor}' flavor: it does not describe a TagOlym model");
    }
}
