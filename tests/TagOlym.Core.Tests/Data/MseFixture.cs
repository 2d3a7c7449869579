using TagOlym.Core.Data;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Data;

/// <summary>
/// mse-questions read and validated once (a few seconds) for every test that needs the real corpus; the tests
/// that use it are in the "mse-questions" collection.
/// </summary>
public sealed class MseFixture
{
    public MseFixture()
    {
        var result = DataValidator.LoadDataset(SharedData.Path("data", "mse-questions.jsonl.gz"));
        Report = result.Report;
        Dataset = result.Dataset!;
    }

    public ValidationReport Report { get; }

    public LabeledDataset Dataset { get; }
}

[CollectionDefinition(Name)]
public sealed class MseQuestions : ICollectionFixture<MseFixture>
{
    public const string Name = "mse-questions";
}
