using TagOlym.Core.Labels;

namespace TagOlym.Core.Learning;

/// <summary>The sub-tag classes of the training posts (see <see cref="Models.SubtagMember"/>).</summary>
public sealed record SubtagClasses(LabelMatrix Truth, int[] ClassLabels, string[] ClassNames)
{
    /// <summary>
    /// Per label, the raw tags that give it on at least <paramref name="minPosts"/> training posts, each a class,
    /// and one residual class of the label's other posts.
    /// </summary>
    public static SubtagClasses Build(IReadOnlyList<string[]> tags, LabelMatrix truth, Taxonomy taxonomy, int minPosts)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(taxonomy);
        var counts = new Dictionary<(string Tag, int Label), int>();
        var labelsOfTag = new Dictionary<string, int[]>(StringComparer.Ordinal);
        int[] LabelsOf(string tag)
        {
            if (!labelsOfTag.TryGetValue(tag, out var labels))
            {
                labelsOfTag[tag] = labels = [.. taxonomy.MapTag(tag).Select(taxonomy.Labels.IndexOf)];
            }

            return labels;
        }

        foreach (var postTags in tags)
        {
            foreach (var tag in postTags)
            {
                foreach (var label in LabelsOf(tag))
                {
                    counts[(tag, label)] = counts.GetValueOrDefault((tag, label)) + 1;
                }
            }
        }

        var classes = counts.Where(c => c.Value >= minPosts).Select(c => c.Key).OrderBy(c => c.Label).ThenBy(c => c.Tag, StringComparer.Ordinal).ToList();
        var classLabels = classes.Select(c => c.Label).Concat(Enumerable.Range(0, truth.Labels)).ToArray();
        var classNames = classes.Select(c => c.Tag).Concat(Enumerable.Repeat("other", truth.Labels)).ToArray();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var matrix = new LabelMatrix(truth.Rows, classLabels.Length);
        for (var r = 0; r < truth.Rows; r++)
        {
            var covered = new bool[truth.Labels];
            foreach (var tag in tags[r])
            {
                foreach (var label in LabelsOf(tag))
                {
                    if (index.TryGetValue((tag, label), out var c))
                    {
                        matrix[r, c] = true;
                        covered[label] = true;
                    }
                }
            }

            for (var l = 0; l < truth.Labels; l++)
            {
                if (truth[r, l] && !covered[l])
                {
                    matrix[r, classes.Count + l] = true;
                }
            }
        }

        return new SubtagClasses(matrix, classLabels, classNames);
    }
}
