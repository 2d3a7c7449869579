using TagOlym.Core.Data;

namespace TagOlym.Core.Training;

/// <summary>
/// Step 4 of the flow: iterative stratification of order 2 (70/15/15, seeded) or the fixed benchmark split by id.
/// </summary>
public static class SplitStage
{
    /// <exception cref="DataValidationException">A part would be empty.</exception>
    public static Splits<PreparedPosts> Run(PreparedPosts posts, SplitMethod method, int seed)
    {
        ArgumentNullException.ThrowIfNull(posts);
        var split = method == SplitMethod.Fixed ? BenchmarkSplit.Split(posts.Ids) : IterativeStratification.Split(posts.Labels, seed);
        var rows = new Splits<int[]>(split.RowsOf(SplitPart.Train), split.RowsOf(SplitPart.Validation), split.RowsOf(SplitPart.Test));
        if (rows.Named().Any(p => p.Part.Length == 0))
        {
            throw new DataValidationException(
                $"the split left a part empty ({string.Join(", ", rows.Named().Select(p => $"{p.Name} {p.Part.Length}"))}): more data is needed");
        }

        return rows.Select(posts.Subset);
    }
}
