using System.Security.Cryptography;
using System.Text;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;

namespace TagOlym.Core.Training;

/// <summary>
/// Step 9 of the flow: the fitted scorer, its thresholds, the taxonomy, the arguments, the metrics and a fingerprint
/// of the training rows, as one immutable <see cref="TagModel"/>. Nothing is written here: the caller saves it.
/// </summary>
public static class PackageStage
{
    public static TagModel Run(Taxonomy taxonomy, TrainingArgs args, PostScorer scorer, LabelThresholds thresholds, Evaluations evaluations, PreparedPosts train)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        ArgumentNullException.ThrowIfNull(train);
        return TagModel.Create(taxonomy, args, scorer, thresholds, EvaluateStage.ToJson(evaluations.Metrics), Fingerprint(train), train.Count);
    }

    /// <summary>SHA-256 over the training rows' ids and label sets, in order: equal fingerprints, equal training data.</summary>
    public static string Fingerprint(PreparedPosts posts)
    {
        ArgumentNullException.ThrowIfNull(posts);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        for (var r = 0; r < posts.Count; r++)
        {
            line.Clear().Append(posts.Ids[r].Text).Append('\t');
            foreach (var set in posts.Labels.Row(r))
            {
                line.Append(set ? '1' : '0');
            }

            hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
