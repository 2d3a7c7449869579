namespace TagOlym.Core.Tests.Support;

public sealed class SharedDataTests
{
    [Fact]
    public void Shared_data_folder_holds_the_corpora()
    {
        File.Exists(SharedData.Path("data", "mse-questions.jsonl.gz")).Should().BeTrue();
        File.Exists(SharedData.Path("data", "golden", "preprocess_golden.jsonl")).Should().BeTrue();
    }
}
