using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;

namespace TagOlym.Core.Tests.Learning;

/// <summary>Small synthetic problems with known answers.</summary>
internal static class SgdTestData
{
    /// <summary>
    /// Rows over 20 features; label 0 is on exactly when feature 0 is present, label 1 when feature 1 is;
    /// features 2..19 are noise. Positives of label 1 are rare (one row in <paramref name="rareEvery"/>).
    /// </summary>
    public static (SparseRow[] Rows, LabelMatrix Labels) Separable(int count, int seed = 7, int rareEvery = 10)
    {
        var random = new Random(seed);
        var rows = new SparseRow[count];
        var labels = new LabelMatrix(count, 2);
        for (var i = 0; i < count; i++)
        {
            var features = new SortedDictionary<int, float>();
            if (i % 2 == 0)
            {
                features[0] = 1;
                labels[i, 0] = true;
            }

            if (i % rareEvery == 1)
            {
                features[1] = 1;
                labels[i, 1] = true;
            }

            for (var k = 0; k < 3; k++)
            {
                features[2 + random.Next(18)] = 1;
            }

            var norm = (float)Math.Sqrt(features.Count);
            rows[i] = new SparseRow([.. features.Keys], [.. features.Values.Select(v => v / norm)]);
        }

        return (rows, labels);
    }

    /// <summary>
    /// Rows over 40 features with <paramref name="labelCount"/> labels of different sizes: label l is on when
    /// feature l is present, which happens in one row in <c>2 + l</c>; the other features are noise.
    /// </summary>
    public static (SparseRow[] Rows, LabelMatrix Labels) ManyLabels(int count, int labelCount, int seed = 11)
    {
        var random = new Random(seed);
        var rows = new SparseRow[count];
        var labels = new LabelMatrix(count, labelCount);
        for (var i = 0; i < count; i++)
        {
            var features = new SortedDictionary<int, float>();
            for (var l = 0; l < labelCount; l++)
            {
                if (random.Next(2 + l) == 0)
                {
                    features[l] = 1;
                    labels[i, l] = true;
                }
            }

            for (var k = 0; k < 4; k++)
            {
                features[labelCount + random.Next(40 - labelCount)] = 1;
            }

            var norm = (float)Math.Sqrt(features.Count);
            rows[i] = new SparseRow([.. features.Keys], [.. features.Values.Select(v => v / norm)]);
        }

        return (rows, labels);
    }

    /// <summary>
    /// Asserts that two models fitted on <see cref="ManyLabels"/> rows hold the same weights and intercepts, bit for
    /// bit, and that each label learned the feature that marks it.
    /// </summary>
    public static void ShouldEqualBitForBit(this LinearModel actual, LinearModel expected)
    {
        for (var l = 0; l < expected.LabelCount; l++)
        {
            Enumerable.Range(0, expected.FeatureCount).Select(f => actual.Weight(f, l)).Should().Equal(Enumerable.Range(0, expected.FeatureCount).Select(f => expected.Weight(f, l)));
            actual.Intercept(l).Should().Be(expected.Intercept(l));
            expected.Weight(l, l).Should().BePositive("feature l marks label l");
        }
    }
}
