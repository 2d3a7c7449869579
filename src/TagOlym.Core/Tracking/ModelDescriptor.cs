using System.Text;

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

    public string ToYaml()
    {
        var yaml = new StringBuilder();
        yaml.Append("artifact_path: ").Append(MiniYaml.Scalar(ArtifactPath)).Append('\n');
        yaml.Append("flavors:\n");
        yaml.Append("  ").Append(Flavor).Append(":\n");
        yaml.Append("    format_version: ").Append(FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        yaml.Append("    labels:").Append(Labels.Count == 0 ? " []\n" : "\n");
        foreach (var label in Labels)
        {
            yaml.Append("    - ").Append(MiniYaml.Scalar(label)).Append('\n');
        }

        yaml.Append("    model_file: ").Append(MiniYaml.Scalar(ModelFile)).Append('\n');
        yaml.Append("    tagolym_version: ").Append(MiniYaml.Scalar(TagOlymVersion)).Append('\n');
        if (RunId is not null)
        {
            yaml.Append("run_id: ").Append(MiniYaml.Scalar(RunId)).Append('\n');
        }

        yaml.Append("utc_time_created: ").Append(MiniYaml.Scalar(CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture))).Append('\n');
        return yaml.ToString();
    }

    /// <summary>The model file named by an <c>MLmodel</c> text (the <c>tagolym</c> flavor's <c>model_file</c>).</summary>
    public static string ModelFileOf(string mlmodelText)
    {
        var inFlavor = false;
        foreach (var line in mlmodelText.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.TrimEnd() == $"  {Flavor}:")
            {
                inFlavor = true;
            }
            else if (inFlavor && line.StartsWith("    model_file:", StringComparison.Ordinal))
            {
                return MiniYaml.Read("model_file: " + line["    model_file:".Length..].Trim()).GetString("model_file") ?? DefaultModelFile;
            }
            else if (inFlavor && !line.StartsWith("    ", StringComparison.Ordinal))
            {
                break;
            }
        }

        throw new InvalidDataException($"the MLmodel file has no '{Flavor}' flavor: it does not describe a TagOlym model");
    }
}
