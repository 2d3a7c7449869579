using TagOlym.Core.Data;

namespace TagOlym.Core.Tests.Data;

public sealed class BenchmarkSplitTests
{
    // buckets computed with Python: int(hashlib.sha256(f"bench-{id}".encode()).hexdigest(), 16) % 100
    [Theory]
    [InlineData(8L, 88)]
    [InlineData(11L, 47)]
    [InlineData(18L, 21)]
    [InlineData(0L, 25)]
    [InlineData(-5L, 10)]
    public void Bucket_of_a_numeric_id_matches_the_reference(long id, int bucket)
    {
        BenchmarkSplit.Bucket(PostId.FromNumber(id)).Should().Be(bucket);
    }

    [Theory]
    [InlineData("train/algebra/0", 21)]
    [InlineData("héllo", 7)]
    [InlineData("8", 88)]
    public void Bucket_of_a_string_id_hashes_its_utf8_text(string id, int bucket)
    {
        BenchmarkSplit.Bucket(PostId.FromString(id)).Should().Be(bucket);
    }

    [Fact]
    public void Bucket_of_a_number_too_large_for_a_long_uses_its_digits()
    {
        BenchmarkSplit.Bucket(PostId.FromNumberText("12345678901234567890")).Should().Be(80);
    }

    [Fact]
    public void Parts_follow_the_bucket_thresholds()
    {
        BenchmarkSplit.PartOf(PostId.FromNumber(18)).Should().Be(SplitPart.Train);
        BenchmarkSplit.PartOf(PostId.FromNumber(8)).Should().Be(SplitPart.Test);
        var split = BenchmarkSplit.Split([PostId.FromNumber(11), PostId.FromNumber(8), PostId.FromString("train/algebra/0")]);
        split.Parts.Should().Equal(SplitPart.Train, SplitPart.Test, SplitPart.Train);
    }

    [Fact]
    public void A_missing_id_cannot_be_split()
    {
        var act = () => BenchmarkSplit.Bucket(PostId.None);

        act.Should().Throw<ArgumentException>();
    }
}
