using TagOlym.Core.Labels;

namespace TagOlym.Core.Tests.Evaluation;

/// <summary>Small label matrices written as strings: one string per post, one '1' or '0' per label.</summary>
internal static class Matrices
{
    public static LabelMatrix Of(params string[] rows)
    {
        var labels = rows.Length == 0 ? 0 : rows[0].Length;
        var matrix = new LabelMatrix(rows.Length, labels);
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i].Length.Should().Be(labels, "every row has one cell per label");
            for (var j = 0; j < labels; j++)
            {
                matrix[i, j] = rows[i][j] == '1';
            }
        }

        return matrix;
    }

    /// <summary>The anchor's ten labels, in LabelIndex (ordinal) order.</summary>
    public static LabelIndex AnchorLabels { get; } = new(
    [
        "algebra", "circle", "combinatorics", "function", "geometry", "inequality", "modular arithmetic",
        "number theory", "polynomial", "trigonometry",
    ]);
}
