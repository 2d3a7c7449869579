using TagOlym.Core.Models;

namespace TagOlym.Core.Tests.Models;

public sealed class SuggestionLimitsTests
{
    private static readonly TagScore[] Tags =
    [
        new("geometry", 0.99, 0.49), new("circle", 0.58, 0.18), new("algebra", 0.40, 0.31), new("function", 0.35, 0.30),
    ];

    [Theory]
    [InlineData(null, null, "geometry,circle,algebra,function")]
    [InlineData(1, null, "geometry")]
    [InlineData(3, null, "geometry,circle,algebra")]
    [InlineData(10, null, "geometry,circle,algebra,function")]
    [InlineData(null, 0.58, "geometry,circle")]
    [InlineData(null, 0.581, "geometry")]
    [InlineData(null, 1.5, "")]
    [InlineData(null, -3.0, "geometry,circle,algebra,function")]
    [InlineData(1, 0.5, "geometry")]
    [InlineData(3, 0.5, "geometry,circle")]
    public void Limit_keeps_the_first_tags_and_minScore_those_scoring_at_least_it(int? limit, double? minScore, string expected)
    {
        var kept = new SuggestionLimits(limit, minScore).Apply(Tags);

        string.Join(",", kept.Select(t => t.Tag)).Should().Be(expected);
    }

    [Fact]
    public void Narrowing_only_ever_removes_tags_and_keeps_their_order()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 500; trial++)
        {
            var limits = new SuggestionLimits(random.Next(3) == 0 ? null : random.Next(1, 6), random.Next(3) == 0 ? null : random.NextDouble() * 2 - 0.5);

            var kept = limits.Apply(Tags);

            kept.Should().BeSubsetOf(Tags);
            kept.Select(t => Array.IndexOf(Tags, t)).Should().BeInAscendingOrder();
            kept.Count.Should().BeLessThanOrEqualTo(limits.Limit ?? Tags.Length);
            kept.Should().NotContain(t => limits.MinScore != null && t.Score < limits.MinScore);
            if (kept.Count < (limits.Limit ?? int.MaxValue))
            {
                // nothing was dropped that passes the floor: the limit did not bite
                Tags.Except(kept).Should().NotContain(t => limits.MinScore == null || t.Score >= limits.MinScore);
            }
        }
    }
}
